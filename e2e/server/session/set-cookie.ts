/**
 * `Set-Cookie` headers read back the way a browser reads them, so the tests
 * can state each attribute the server sent (RFC 6265, section 5.2).
 */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; a flag (Secure, HttpOnly) has the value "". */
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const at = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name) attributes.set(name, eq < 0 ? "" : part.slice(eq + 1).trim());
  }
  return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes };
}

/** Max-Age in seconds, or null when the cookie has none (a browser-session cookie). */
export function maxAge(cookie: SetCookie): number | null {
  const value = cookie.attributes.get("max-age");
  return value === undefined ? null : Number(value);
}

/** Expires as a date, or null when absent. */
export function expires(cookie: SetCookie): Date | null {
  const value = cookie.attributes.get("expires");
  return value === undefined ? null : new Date(value);
}

/** A cookie that tells the browser to forget it: empty, and Max-Age 0 or Expires in the past. */
export function isDeletion(cookie: SetCookie): boolean {
  const age = maxAge(cookie);
  const date = expires(cookie);
  return cookie.value === "" && (age === 0 || (age === null && date !== null && date < new Date()));
}

import type { SessionSettings } from "../settings";

/**
 * The session cookie: what to send, and how to read it back. Route Handlers
 * write it as a raw `Set-Cookie` header (byte-for-byte what Django sends);
 * Server Actions hand it to Next's cookie store, which percent-encodes the
 * value (`:` becomes `%3A` in a signed cookie, which Django does not decode).
 */

export type CookieSettings = Pick<
  SessionSettings,
  | "SESSION_COOKIE_NAME"
  | "SESSION_COOKIE_DOMAIN"
  | "SESSION_COOKIE_PATH"
  | "SESSION_COOKIE_SECURE"
  | "SESSION_COOKIE_HTTPONLY"
  | "SESSION_COOKIE_SAMESITE"
>;

export interface SessionCookie {
  name: string;
  value: string;
  /** Seconds; null for a browser-session cookie; 0 deletes the cookie. */
  maxAge: number | null;
  expires: Date | null;
  domain: string | null;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: "Lax" | "Strict" | "None" | false;
}

/** The cookie carrying a session key; `maxAge` null makes a browser-session cookie. */
export function sessionCookie(
  settings: CookieSettings,
  value: string,
  maxAge: number | null,
  now = Date.now(),
): SessionCookie {
  return {
    ...attributes(settings),
    value,
    maxAge,
    expires: maxAge === null ? null : new Date(now + maxAge * 1000),
  };
}

/** The cookie that deletes the session cookie: same name, Path, Domain and SameSite, or browsers keep it. */
export function deletionCookie(settings: CookieSettings): SessionCookie {
  return { ...attributes(settings), value: "", maxAge: 0, expires: new Date(0) };
}

function attributes(settings: CookieSettings) {
  return {
    name: settings.SESSION_COOKIE_NAME,
    domain: settings.SESSION_COOKIE_DOMAIN,
    path: settings.SESSION_COOKIE_PATH,
    secure: settings.SESSION_COOKIE_SECURE,
    httpOnly: settings.SESSION_COOKIE_HTTPONLY,
    sameSite: settings.SESSION_COOKIE_SAMESITE,
  };
}

/** The `Set-Cookie` header value, in Django's attribute order. */
export function serializeCookie(cookie: SessionCookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.expires) parts.push(`expires=${cookie.expires.toUTCString()}`);
  if (cookie.maxAge !== null) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  parts.push(`Path=${cookie.path}`);
  if (cookie.secure) parts.push("Secure");
  if (cookie.httpOnly) parts.push("HttpOnly");
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join("; ");
}

/**
 * The session cookie's value from a `Cookie` header: the first of that name
 * (browsers send the most specific path first). A value that cannot be
 * percent-decoded counts as absent.
 */
export function readSessionCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(at + 1).trim());
    } catch (error) {
      if (error instanceof URIError) return null;
      throw error;
    }
  }
  return null;
}

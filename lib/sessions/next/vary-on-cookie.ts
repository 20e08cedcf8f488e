import { ServerResponse } from "node:http";
import { addVary } from "./headers";

const INSTALLED = Symbol.for("evermore.sessions.varyOnSessionCookie");

/**
 * Makes every response of this server that sets or deletes the session
 * cookie carry `Vary: Cookie`, whichever part of Next.js wrote it (Django
 * 5.2.14 / 6.0.5, CVE-2026-35192: a shared cache must never hand one
 * visitor's cookie to another).
 *
 * Route Handlers could set it themselves (`withSession` does), but Next.js
 * gives a Server Action no way to set a response header, and it replaces
 * the `Vary` of every page and action response with its own list, including
 * one the proxy set. So the header is added where every response passes:
 * when Node writes its head. Call once at start-up (instrumentation.ts);
 * calling again changes nothing. Responses without the session cookie are
 * left as they are, and `Vary: *` is kept.
 *
 * @param cookieName the session cookie's name (`SESSION_COOKIE_NAME`).
 */
export function varyOnSessionCookie(cookieName: string): void {
  const proto = ServerResponse.prototype as ServerResponse & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const writeHead = proto.writeHead;
  proto.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg) => typeof arg === "object" && arg !== null);
    if (
      setsCookie(this.getHeader("set-cookie"), cookieName) ||
      setsCookie(headersSetCookie(headers), cookieName)
    ) {
      addVaryTo(this, headers);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof proto.writeHead;
}

/** Whether any `Set-Cookie` value names `cookieName`. */
export function setsCookie(values: unknown, cookieName: string): boolean {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return list.some((value) => String(value).trimStart().startsWith(`${cookieName}=`));
}

/** The `Set-Cookie` of the headers passed to `writeHead` (an object, or flat name/value pairs). */
function headersSetCookie(headers: unknown): unknown {
  if (Array.isArray(headers)) {
    const values: unknown[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === "set-cookie") values.push(headers[i + 1]);
    return values.flat();
  }
  if (!headers) return undefined;
  return Object.entries(headers).find(([name]) => name.toLowerCase() === "set-cookie")?.[1];
}

function addVaryTo(response: ServerResponse, headers: unknown) {
  // Headers passed to writeHead win over those set before; a Vary among them is extended there.
  if (headers && !Array.isArray(headers)) {
    const record = headers as Record<string, unknown>;
    const name = Object.keys(record).find((key) => key.toLowerCase() === "vary");
    if (name !== undefined) {
      record[name] = withCookie(String(record[name]));
      return;
    }
  }
  const current = response.getHeader("vary");
  response.setHeader("Vary", withCookie(current === undefined ? "" : String(current)));
}

function withCookie(vary: string): string {
  if (vary.split(",").some((field) => field.trim() === "*")) return vary;
  const headers = new Headers(vary ? { Vary: vary } : {});
  addVary(headers, "Cookie");
  return headers.get("Vary")!;
}

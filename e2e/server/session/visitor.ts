import type { SetCookie } from "./set-cookie";
import { isDeletion, parseSetCookie } from "./set-cookie";

export interface Reply {
  status: number;
  headers: Headers;
  /** Every `Set-Cookie` of the response that names the session cookie, parsed. */
  sessionCookies: SetCookie[];
  /** The one session cookie sent; fails the test when there were several. */
  sessionCookie: SetCookie | null;
  text: string;
}

/**
 * A browser reduced to what matters here: it keeps the session cookie it
 * was given and sends it back, and shows the raw `Set-Cookie` headers (a
 * real cookie jar would hide a second cookie or a missing attribute).
 */
export class Visitor {
  /** The session cookie's value, as the browser would send it; null when it has none. */
  cookie: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly cookieName = "sessionid",
  ) {}

  /** A GET that asks for JSON, as a script would (not a page render). */
  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request(path, { headers: { accept: "application/json", ...headers } });
  }

  /** A GET that asks for HTML, as a browser loading a page does. */
  getPage(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request(path, { headers: { accept: "text/html", ...headers } });
  }

  async request(path: string, init: RequestInit = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (this.cookie !== null) headers.set("cookie", `${this.cookieName}=${this.cookie}`);
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      redirect: "manual",
    });
    const sessionCookies = response.headers
      .getSetCookie()
      .map(parseSetCookie)
      .filter((cookie) => cookie.name === this.cookieName);
    if (sessionCookies.length > 1)
      throw new Error(`${path}: ${sessionCookies.length} session cookies in one response`);
    const sessionCookie = sessionCookies[0] ?? null;
    if (sessionCookie) this.cookie = isDeletion(sessionCookie) ? null : sessionCookie.value;
    return {
      status: response.status,
      headers: response.headers,
      sessionCookies,
      sessionCookie,
      text: await response.text(),
    };
  }

  /** The session's contents as the server reads them (the `state` test route). */
  async state(): Promise<{
    items: Record<string, unknown>;
    expiryAge: number;
    expireAtBrowserClose: boolean;
  }> {
    const reply = await this.get("/testing/session/state");
    if (reply.status !== 200) throw new Error(`/testing/session/state answered ${reply.status}`);
    return JSON.parse(reply.text);
  }
}

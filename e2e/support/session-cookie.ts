import type { BrowserContext } from "@playwright/test";
import { expect } from "@playwright/test";

/** What the e2e stories need to know of the server's session settings, and of its cookie. */
export const stories = { tag: "@stories" };
export const COOKIE = process.env.SESSION_COOKIE_NAME || "sessionid";
export const ENGINE = process.env.SESSION_ENGINE || "db";
export const COOKIE_ENGINES = ["signed_cookies", "encrypted_cookies"];
export const COOKIE_AGE = Number(process.env.SESSION_COOKIE_AGE || 1_209_600);

/** The session cookie as the browser holds it, if it does. */
export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === COOKIE);
}

/** Seconds from now until the cookie's Expires, or -1 for a browser-session cookie. */
export async function cookieLifetime(context: BrowserContext) {
  const cookie = await sessionCookie(context);
  expect(cookie, "the browser holds a session cookie").toBeDefined();
  return cookie!.expires === -1 ? -1 : cookie!.expires - Date.now() / 1000;
}

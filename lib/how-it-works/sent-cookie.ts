import { z } from "zod";
import type { SessionBase } from "@/lib/sessions";
import { sessionValue } from "@/lib/sessions";
import type { CookieSettings } from "@/lib/sessions/next/cookie";
import { serializeCookie, sessionCookie } from "@/lib/sessions/next/cookie";
import type { Lifetime } from "./expiry-choice";

/**
 * "The cookie the browser received", for the expiry demo. The cookie's
 * lifetime is decided when the session is committed, after the action has
 * returned, so the action works it out by the commit's own rule (no
 * Max-Age/Expires when `getExpireAtBrowserClose()`, otherwise
 * `getExpiryAge()` seconds) and keeps it in the session for the page to show
 * after the redirect. The key itself is left out: it never goes on a page.
 */
export const expiryDemo = sessionValue(
  "howItWorks.expiry",
  z.object({
    lifetime: z.enum(["default", "browser", "hour", "date"]),
    savedAt: z.iso.datetime(),
    sentCookie: z.string().max(300),
  }),
  null,
);

/** The attributes of the `Set-Cookie` a commit at `now` sends for this session. */
export async function cookieAttributesAt(
  session: SessionBase,
  settings: CookieSettings,
  now: Date,
): Promise<string> {
  const browserClose = await session.getExpireAtBrowserClose();
  const maxAge = browserClose ? null : await session.getExpiryAge({ modification: now });
  const header = serializeCookie(sessionCookie(settings, "", maxAge, now.getTime()));
  return header.slice(header.indexOf(";") + 2);
}

/**
 * Notes a save of the expiry demo: which lifetime, when, and the cookie
 * attributes sent. Writing it marks the session modified, so the commit
 * saves the session and re-sends the cookie: that save is what slides an
 * inactivity expiry forward (Django measures it from the last save).
 */
export async function recordSave(
  session: SessionBase,
  lifetime: Lifetime,
  settings: CookieSettings,
  now = new Date(),
): Promise<void> {
  await expiryDemo.write(session, {
    lifetime,
    savedAt: now.toISOString(),
    sentCookie: await cookieAttributesAt(session, settings, now),
  });
}

/** Plain words for a `Set-Cookie`'s lifetime attributes. */
export function describeLifetime(attributes: string): string {
  const maxAge = /Max-Age=(\d+)/.exec(attributes)?.[1];
  if (maxAge === undefined) return "no Max-Age or Expires: a browser-session cookie";
  return `kept for ${formatSeconds(Number(maxAge))}, then forgotten by the browser`;
}

/** `3600` → "1 hour"; `90061` → "1 day, 1 hour, 1 minute and 1 second". */
export function formatSeconds(total: number): string {
  if (total <= 0) return "no time at all";
  const units: [string, number][] = [
    ["day", 86_400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
  }
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

import type { Expiry } from "@/lib/sessions";

/**
 * The expiry demo's four choices, from a form, as the `setExpiry` value each
 * one means (Django's `set_expiry`):
 *
 * - `default`: `null`, back to the site's policy (`SESSION_COOKIE_AGE`);
 * - `browser`: `0`, a cookie without Max-Age, gone when the browser closes;
 * - `hour`: `3600`, an hour *of inactivity*: measured from the last save;
 * - `date`: a `Date`, the end of the chosen day (UTC), whatever happens.
 */
export type Lifetime = "default" | "browser" | "hour" | "date";

export const INACTIVITY_SECONDS = 3600;

/**
 * Browsers cap a cookie's lifetime at 400 days (RFC 6265bis); a later date
 * would be silently shortened, so the demo refuses it and says why.
 */
export const MAX_DAYS_AHEAD = 400;

/** Why a choice was refused; the page shows `PROBLEMS[problem]` (codes keep free text out of URLs). */
export type Problem = "no-choice" | "no-date" | "not-a-day" | "past" | "too-far";

export const PROBLEMS: Record<Problem, string> = {
  "no-choice": "Please choose how long we should remember you.",
  "no-date": "Please pick a date, such as 2027-03-14.",
  "not-a-day": "That date is not a day on the calendar: please pick another.",
  past: "That day has already passed: please choose a day to come.",
  "too-far": `Please choose a day within ${MAX_DAYS_AHEAD} days: browsers forget cookies after that anyway.`,
};

/** A known problem code from a URL, or null. */
export function problemFrom(value: unknown): Problem | null {
  return typeof value === "string" && Object.hasOwn(PROBLEMS, value) ? (value as Problem) : null;
}

export type ExpiryChoice =
  { ok: true; lifetime: Lifetime; expiry: Expiry } | { ok: false; problem: Problem };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads the form's `lifetime` and `until` fields; every refusal says why. */
export function parseExpiryChoice(
  fields: { lifetime?: unknown; until?: unknown },
  now = new Date(),
): ExpiryChoice {
  switch (fields.lifetime) {
    case "default":
      return { ok: true, lifetime: "default", expiry: null };
    case "browser":
      return { ok: true, lifetime: "browser", expiry: 0 };
    case "hour":
      return { ok: true, lifetime: "hour", expiry: INACTIVITY_SECONDS };
    case "date":
      return parseUntil(fields.until, now);
    default:
      return { ok: false, problem: "no-choice" };
  }
}

function parseUntil(until: unknown, now: Date): ExpiryChoice {
  const match = typeof until === "string" ? DAY.exec(until.trim()) : null;
  if (!match) return { ok: false, problem: "no-date" };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
  // Date.UTC rolls 31 April over into 1 May: a date that changed was not a real day.
  if (end.getUTCMonth() !== month - 1 || end.getUTCDate() !== day) {
    return { ok: false, problem: "not-a-day" };
  }
  if (end.getTime() <= now.getTime()) return { ok: false, problem: "past" };
  if (end.getTime() - now.getTime() > MAX_DAYS_AHEAD * 86_400_000) {
    return { ok: false, problem: "too-far" };
  }
  return { ok: true, lifetime: "date", expiry: end };
}

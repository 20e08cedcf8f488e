import type { Expiry } from "@/lib/sessions";
import { formatSeconds } from "./sent-cookie";

/**
 * The expiry demo's four choices, from a form, as the `setExpiry` value each
 * one means (Django's `set_expiry`):
 *
 * - `default`: `null`, back to the site's policy (`SESSION_COOKIE_AGE`);
 * - `browser`: `0`, a cookie without Max-Age, gone when the browser closes;
 * - `hour`: `3600`, an hour *of inactivity*: measured from the last save;
 * - `date`: a `Date`, the end of the chosen day (UTC), whatever happens.
 *
 * None may last longer than the site's `SESSION_COOKIE_AGE` (`longestLifetime`).
 */
export type Lifetime = "default" | "browser" | "hour" | "date";

export const INACTIVITY_SECONDS = 3600;

/**
 * Browsers cap a cookie's lifetime at 400 days (RFC 6265bis); a later date
 * would be silently shortened, so the demo never offers one.
 */
export const MAX_DAYS_AHEAD = 400;

const DAY_MS = 86_400_000;

/**
 * The longest a chosen lifetime may last, in seconds: the site's own
 * `SESSION_COOKIE_AGE`, and never more than browsers keep a cookie. A
 * visitor may choose to be forgotten sooner than the site would, never
 * later: the demo must not make a session outlive the site's policy.
 */
export function longestLifetime(cookieAge: number): number {
  return Math.min(cookieAge, MAX_DAYS_AHEAD * 86_400);
}

/**
 * What the demo offers under a `SESSION_COOKIE_AGE` of `cookieAge` seconds:
 * the hour when it fits, and the days from today to the last one whose end
 * (23:59:59 UTC) is within `longestLifetime`; `latestDay` is null when not
 * even today's end is.
 */
export function expiryOffers(cookieAge: number, now = new Date()) {
  const limit = now.getTime() + longestLifetime(cookieAge) * 1000;
  let latest = endOfDay(new Date(limit));
  if (latest.getTime() > limit) latest = new Date(latest.getTime() - DAY_MS);
  return {
    hour: INACTIVITY_SECONDS <= cookieAge,
    today: dayOf(now),
    latestDay: latest.getTime() < now.getTime() ? null : dayOf(latest),
  };
}

/** Why a choice was refused; the page shows `problemMessage(problem, …)` (codes keep free text out of URLs). */
export type Problem = "no-choice" | "no-date" | "not-a-day" | "past" | "too-far" | "hour-too-long";

const PROBLEM_CODES: Problem[] = [
  "no-choice",
  "no-date",
  "not-a-day",
  "past",
  "too-far",
  "hour-too-long",
];

/** What the page says of a refused choice, with the bound that applies on this site now. */
export function problemMessage(problem: Problem, cookieAge: number, now = new Date()): string {
  const longest = formatSeconds(longestLifetime(cookieAge));
  switch (problem) {
    case "no-choice":
      return "Please choose how long we should remember you.";
    case "no-date":
      return "Please pick a date, such as 2027-03-14.";
    case "not-a-day":
      return "That date is not a day on the calendar: please pick another.";
    case "past":
      return "That day has already passed: please choose a day to come.";
    case "too-far": {
      const latest = expiryOffers(cookieAge, now).latestDay;
      return latest
        ? `Please choose a day up to ${latest}: we remember a session for ${longest} at most.`
        : `We remember a session for ${longest} at most, less than the rest of today: please choose another way.`;
    }
    case "hour-too-long":
      return `We remember a session for ${longest} at most, less than an hour: please choose another way.`;
  }
}

/** A known problem code from a URL, or null. */
export function problemFrom(value: unknown): Problem | null {
  return PROBLEM_CODES.find((code) => code === value) ?? null;
}

export type ExpiryChoice =
  { ok: true; lifetime: Lifetime; expiry: Expiry } | { ok: false; problem: Problem };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads the form's `lifetime` and `until` fields; every refusal says why. A
 * lifetime longer than the site's `SESSION_COOKIE_AGE` (`cookieAge`
 * seconds), which the form never offers, is refused like any other bad input.
 */
export function parseExpiryChoice(
  fields: { lifetime?: unknown; until?: unknown },
  cookieAge: number,
  now = new Date(),
): ExpiryChoice {
  switch (fields.lifetime) {
    case "default":
      return { ok: true, lifetime: "default", expiry: null };
    case "browser":
      return { ok: true, lifetime: "browser", expiry: 0 };
    case "hour":
      if (INACTIVITY_SECONDS > cookieAge) return { ok: false, problem: "hour-too-long" };
      return { ok: true, lifetime: "hour", expiry: INACTIVITY_SECONDS };
    case "date":
      return parseUntil(fields.until, cookieAge, now);
    default:
      return { ok: false, problem: "no-choice" };
  }
}

function parseUntil(until: unknown, cookieAge: number, now: Date): ExpiryChoice {
  const match = typeof until === "string" ? DAY.exec(until.trim()) : null;
  if (!match) return { ok: false, problem: "no-date" };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
  // Date.UTC rolls 31 April over into 1 May: a date that changed was not a real day.
  if (end.getUTCMonth() !== month - 1 || end.getUTCDate() !== day) {
    return { ok: false, problem: "not-a-day" };
  }
  if (end.getTime() <= now.getTime()) return { ok: false, problem: "past" };
  if (end.getTime() - now.getTime() > longestLifetime(cookieAge) * 1000) {
    return { ok: false, problem: "too-far" };
  }
  return { ok: true, lifetime: "date", expiry: end };
}

/** The last second of `date`'s day, UTC. */
function endOfDay(date: Date): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59),
  );
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

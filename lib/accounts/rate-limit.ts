import { createHash } from "node:crypto";
import { UNKNOWN_ADDRESS } from "@/lib/client-address";
import type { Database } from "@/lib/db/client";

/**
 * Failed logins and sign-ups, limited per email and per IP address. Attempts
 * are rows in the database, so the limit holds however many server instances
 * share it; a cache would forget them on restart, which is when an attacker
 * would like it to.
 *
 * Per email: 5 failures in 15 minutes (guessing one person's password). Per
 * IP: 100 in 15 minutes (trying many emails from one place, while a shared
 * address — an office, a mobile carrier — still gets through). An address
 * that cannot be told (lib/client-address.ts) is the one shared bucket
 * `unknown`: limited like any other, never unlimited.
 *
 * A browser holding a device cookie for the email (it logged in as them
 * before, trusted-device.ts) counts against its own bucket of 5 and nothing
 * else: neither the email's nor the address's, which other clients fill, so
 * no failure of anyone else can refuse it. What bounds a stolen device
 * cookie is that bucket: 5 guesses per 15 minutes at the one account it was
 * issued for.
 *
 * An attempt is counted before its password is checked (`claimAttempt`), not
 * after: requests sent all at once would otherwise all find the count low and
 * all be checked. A claim that turns out right is taken back; a wrong one
 * stays, as the failure it was.
 */
export const WINDOW_MINUTES = 15;
export const MAX_PER_EMAIL = 5;
export const MAX_PER_DEVICE = 5;
export const MAX_PER_IP = 100;

export interface Bucket {
  key: string;
  max: number;
}

/**
 * The buckets one attempt counts against: the trusted device's alone when
 * the browser holds a device cookie for that email; otherwise the email's
 * and the address's (`unknown` when `ip` is null or empty).
 */
export function bucketsFor(
  email: string,
  ip: string | null,
  device: string | null = null,
): Bucket[] {
  if (device) return [{ key: bucketKey("device", device), max: MAX_PER_DEVICE }];
  return [
    { key: bucketKey("email", email.toLowerCase()), max: MAX_PER_EMAIL },
    { key: bucketKey("ip", ip?.trim() || UNKNOWN_ADDRESS), max: MAX_PER_IP },
  ];
}

/** What the bucket column holds: `VarChar(320)`, counted in characters. */
const BUCKET_KEY_MAX_LENGTH = 320;

/**
 * `kind:value`; a value too long for the column (an `X-Forwarded-For` made
 * up by the client, say) becomes `kind#` and its SHA-256 instead, so the key
 * always fits and two different values still count apart.
 */
function bucketKey(kind: "email" | "device" | "ip", value: string): string {
  const key = `${kind}:${value}`;
  // JavaScript counts UTF-16 units, never fewer than PostgreSQL's characters: a fit here fits there.
  if (key.length <= BUCKET_KEY_MAX_LENGTH) return key;
  return `${kind}#${createHash("sha256").update(value).digest("hex")}`;
}

/**
 * Minutes until another attempt is allowed, or 0 when one is allowed now,
 * counting every attempt but those of `excluding` (an attempt's own claim).
 */
export async function minutesUntilAllowed(
  database: Database,
  buckets: Bucket[],
  now = new Date(),
  excluding: number[] = [],
): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  let waitMs = 0;
  for (const { key, max } of buckets) {
    const recent = await database.loginAttempt.findMany({
      where: { bucket: key, createdAt: { gt: since }, id: { notIn: excluding } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
      take: max,
    });
    if (recent.length < max) continue;
    // The oldest of the last `max` failures must leave the window before another try.
    const freedAt = recent[max - 1]!.createdAt.getTime() + WINDOW_MINUTES * 60_000;
    waitMs = Math.max(waitMs, freedAt - now.getTime());
  }
  return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0;
}

/** Counts one failure against every bucket, and drops failures that left the window. */
export async function recordFailure(
  database: Database,
  buckets: Bucket[],
  now = new Date(),
): Promise<number[]> {
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  const [, rows] = await database.$transaction([
    database.loginAttempt.deleteMany({ where: { createdAt: { lt: since } } }),
    database.loginAttempt.createManyAndReturn({
      data: buckets.map(({ key }) => ({ bucket: key, createdAt: now })),
      select: { id: true },
    }),
  ]);
  return rows.map((row) => row.id);
}

/** An attempt under way, already counted as a failure until `releaseAttempt`. */
export interface Claim {
  ids: number[];
}

/**
 * Counts an attempt, then sees whether the attempts before it leave room for
 * it: of requests arriving together, each counts at least those that claimed
 * before it, so no more than a bucket's maximum get through. Resolves to the
 * claim, or to the minutes to wait (the claim then taken back: only attempts
 * whose password was checked count).
 */
export async function claimAttempt(
  database: Database,
  buckets: Bucket[],
  now = new Date(),
): Promise<{ claim: Claim } | { minutes: number }> {
  const ids = await recordFailure(database, buckets, now);
  const minutes = await minutesUntilAllowed(database, buckets, now, ids);
  if (minutes === 0) return { claim: { ids } };
  await releaseAttempt(database, { ids });
  return { minutes };
}

/** Takes a claim back: the attempt succeeded, or never got as far as a password. */
export async function releaseAttempt(database: Database, claim: Claim) {
  await database.loginAttempt.deleteMany({ where: { id: { in: claim.ids } } });
}

/**
 * After a successful login the person is who they claimed: the counts of
 * their email and of the device they used start over.
 */
export async function forgetFailures(
  database: Database,
  email: string,
  device: string | null = null,
) {
  const buckets = [bucketKey("email", email.toLowerCase())];
  if (device) buckets.push(bucketKey("device", device));
  await database.loginAttempt.deleteMany({ where: { bucket: { in: buckets } } });
}

/** The message a limited visitor sees. */
export function tooManyAttemptsMessage(minutes: number): string {
  return `Too many attempts. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

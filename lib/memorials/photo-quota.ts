import { createHash } from "node:crypto";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { sessionValue } from "@/lib/sessions";

/**
 * Daily quotas on photos added: per session and per client address, over
 * the last 24 hours. A session is free to make, so its quota alone bounds
 * nothing; an address is not, and its quota bounds what one place can put
 * on the disk in a day, while a shared address (an office, a mobile
 * carrier) still gets through. Each photo added is a row in the database,
 * so the quotas hold however many server instances share it.
 *
 * A photo is counted before sharp works on it (`claimPhoto`), as failed
 * logins are (`lib/accounts/rate-limit.ts`): uploads arriving together each
 * count the others' claims, so none goes past a quota. A claim for a photo
 * that was then refused, or not kept, is taken back (`releasePhotos`).
 */
export const QUOTA_WINDOW_HOURS = 24;

/** The session's own id for its quota: random, never its session key, and kept across logins. */
export const photoUploader = sessionValue(
  "photoUploader",
  z.string().regex(/^[A-Za-z0-9_-]{6,32}$/),
  null,
);

export interface QuotaBucket {
  key: string;
  max: number;
  /** Whose quota it is, for the message. */
  of: "session" | "address";
}

/** The buckets one photo counts against: its session's, and its address's when known. */
export function quotaBuckets(
  uploader: string,
  ip: string | null,
  limits: { PHOTO_DAILY_PER_SESSION: number; PHOTO_DAILY_PER_ADDRESS: number },
): QuotaBucket[] {
  const buckets: QuotaBucket[] = [
    { key: `session:${uploader}`, max: limits.PHOTO_DAILY_PER_SESSION, of: "session" },
  ];
  if (ip) buckets.push({ key: addressKey(ip), max: limits.PHOTO_DAILY_PER_ADDRESS, of: "address" });
  return buckets;
}

/** What the bucket column holds: `VarChar(320)`. A longer address (made up by a client) is hashed. */
function addressKey(ip: string): string {
  const key = `ip:${ip}`;
  return key.length <= 320 ? key : `ip#${createHash("sha256").update(ip).digest("hex")}`;
}

/** One photo's claim on every bucket: the rows to delete if it is not kept. */
export type PhotoClaim = number[];

/**
 * Counts one photo against every bucket, then checks that the photos counted
 * in the window (its own included) stay within each bucket's maximum.
 * Resolves to the claim, or to the message for the visitor (the claim then
 * taken back).
 */
export async function claimPhoto(
  database: Database,
  buckets: QuotaBucket[],
  now = new Date(),
): Promise<{ claim: PhotoClaim } | { refused: string }> {
  const since = new Date(now.getTime() - QUOTA_WINDOW_HOURS * 3_600_000);
  const [, rows] = await database.$transaction([
    database.photoUpload.deleteMany({ where: { createdAt: { lt: since } } }),
    database.photoUpload.createManyAndReturn({
      data: buckets.map(({ key }) => ({ bucket: key, createdAt: now })),
      select: { id: true },
    }),
  ]);
  const claim = rows.map((row) => row.id);
  for (const bucket of buckets) {
    const counted = await database.photoUpload.findMany({
      where: { bucket: bucket.key, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
      take: bucket.max + 1,
    });
    if (counted.length <= bucket.max) continue;
    await releasePhotos(database, [claim]);
    return { refused: quotaMessage(bucket, counted[0]!.createdAt, now) };
  }
  return { claim };
}

/** Takes claims back: their photos were refused, or not kept. */
export async function releasePhotos(database: Database, claims: PhotoClaim[]): Promise<void> {
  const ids = claims.flat();
  if (ids.length > 0) await database.photoUpload.deleteMany({ where: { id: { in: ids } } });
}

function quotaMessage(bucket: QuotaBucket, oldest: Date, now: Date): string {
  const freedMs = oldest.getTime() + QUOTA_WINDOW_HOURS * 3_600_000 - now.getTime();
  const hours = Math.max(1, Math.ceil(freedMs / 3_600_000));
  const wait = `You can add more in about ${hours} hour${hours === 1 ? "" : "s"}.`;
  return bucket.of === "session"
    ? `You have added ${bucket.max} photos in the last day, the most we take from one visitor. ${wait}`
    : `${bucket.max} photos were added from your network in the last day, the most we take from ` +
        `one address. ${wait}`;
}

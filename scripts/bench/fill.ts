import { Redis } from "ioredis";
import { databaseFor } from "../../lib/db/client";
import { djangoTimestamp } from "../../lib/db/sqlite-django-time";
import { databaseProvider } from "../../lib/db/url";
import { CACHE_KEY_PREFIX } from "../../lib/sessions/engines/cache";
import { progress } from "./runner";

/**
 * Bulk loading of many stored sessions, each holding the same real encoded
 * session (SessionBase.encode of the benchmark payload), by each store's
 * fast path: one INSERT … SELECT per chunk in the database (a recursive CTE
 * in SQLite, generate_series in PostgreSQL), pipelined SETs in Redis.
 */

const CHUNK = 100_000;

/** The key of the i-th bulk-loaded session: 32 characters of a-z0-9, as real keys. */
export function benchKey(index: number): string {
  return `bench${String(index).padStart(27, "0")}`;
}

export interface FillRange {
  /** First index (inclusive) and how many sessions from there. */
  from: number;
  count: number;
  encoded: string;
  expireDate: Date;
}

/** Inserts the sessions `benchKey(from) …` into the `django_session` table at `url`. */
export async function fillDatabase(url: string, range: FillRange, label: string): Promise<void> {
  const database = databaseFor(url);
  const sqlite = databaseProvider(url) === "sqlite";
  const end = range.from + range.count;
  for (let start = range.from; start < end; start += CHUNK) {
    const last = Math.min(start + CHUNK, end) - 1;
    if (sqlite) {
      await database.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO django_session (session_key, session_data, expire_date)
         SELECT 'bench' || printf('%027d', i), ?, ? FROM n`,
        start,
        last,
        range.encoded,
        djangoTimestamp(range.expireDate),
      );
    } else {
      await database.$executeRawUnsafe(
        `INSERT INTO django_session (session_key, session_data, expire_date)
         SELECT 'bench' || lpad(i::text, 27, '0'), $1, $2::timestamptz
         FROM generate_series($3::int, $4::int) AS i`,
        range.encoded,
        range.expireDate.toISOString(),
        start,
        last,
      );
    }
    progress(`${label}: ${(last + 1 - range.from).toLocaleString("en-US")} sessions stored`);
  }
}

/** Stores the sessions in Redis under the cache engine's keys, pipelined. */
export async function fillRedis(url: string, range: FillRange, label: string): Promise<void> {
  const redis = new Redis(url);
  const ttl = Math.max(1, Math.round((range.expireDate.getTime() - Date.now()) / 1000));
  try {
    const end = range.from + range.count;
    for (let start = range.from; start < end; start += CHUNK) {
      const last = Math.min(start + CHUNK, end);
      for (let batch = start; batch < last; batch += 10_000) {
        const pipeline = redis.pipeline();
        for (let i = batch; i < Math.min(batch + 10_000, last); i++) {
          pipeline.set(CACHE_KEY_PREFIX + benchKey(i), range.encoded, "EX", ttl);
        }
        await pipeline.exec();
      }
      progress(`${label}: ${(last - range.from).toLocaleString("en-US")} sessions stored`);
    }
  } finally {
    await redis.quit();
  }
}

import { databaseFor } from "../../db/client";
import { sessionCache } from "../caches";
import type {
  ExpiryJudge,
  RemoveResult,
  SessionRecord,
  SessionStorage,
  SwapResult,
} from "../stored";
import { StoredSession } from "../stored";
import { BestEffortCache, FAILED } from "./best-effort-cache";
import { CacheStorage } from "./cache";
import { DbStorage } from "./db";

/**
 * `SESSION_ENGINE=cached_db`: the database is the record (durable, as the
 * `db` engine), the cache (`SESSION_CACHE_ALIAS`) spares it most reads.
 * Writes go to the database first, then to the cache; reads try the cache,
 * then the database, and refill the cache with the row's remaining lifetime.
 *
 * The cache is never fatal: when it fails, the failure is logged and the
 * database answers, so an outage costs speed, not sessions. A cache write
 * that failed while the cache was unreachable but kept its data (a network
 * partition, not a restart) leaves an entry that may be older than the row:
 * this process remembers such keys and drops their entries before it reads
 * them from the cache again. Limit: another process that reads the session
 * before this one meets it again may still see the old entry until the
 * session's next save or the entry's TTL.
 */

/** Django's `django.contrib.sessions.backends.cached_db.KEY_PREFIX`. */
export const CACHED_DB_KEY_PREFIX = "django.contrib.sessions.cached_db";

/** A storage that can save conditionally, as the database behind `cached_db` must. */
export type ConditionalStorage = SessionStorage &
  Required<Pick<SessionStorage, "swap" | "removeIf">>;

/** Write-through composition of a database storage and a cache storage. */
export class CachedDbStorage implements SessionStorage {
  readonly db: ConditionalStorage;
  readonly cache: CacheStorage;
  readonly #bestEffort: BestEffortCache;

  constructor(db: ConditionalStorage, cache: CacheStorage) {
    this.db = db;
    this.cache = cache;
    this.#bestEffort = new BestEffortCache(cache);
  }

  async read(sessionKey: string): Promise<SessionRecord | null> {
    const cached = (await this.#bestEffort.readable(sessionKey))
      ? await this.#bestEffort.attempt("read", (cache) => cache.read(sessionKey))
      : FAILED;
    if (cached !== FAILED && cached !== null) return cached;
    const record = await this.db.read(sessionKey);
    // After a cache failure, don't wait on the cache a second time in this request.
    if (record && cached === null) await this.#fill(sessionKey, record);
    return record;
  }

  async insert(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    if (!(await this.db.insert(sessionKey, record, ttlSeconds))) return false;
    await this.#bestEffort.attempt(
      "store",
      (cache) => cache.put(sessionKey, record, ttlSeconds),
      sessionKey,
    );
    return true;
  }

  /**
   * Replaces the cache entry only if it is there (Django sets it), so a
   * logout that deleted both between our two writes is not undone. A record
   * gone from the database is removed from the cache too: never served stale.
   */
  async update(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    if (await this.db.update(sessionKey, record, ttlSeconds)) {
      await this.#bestEffort.attempt(
        "store",
        (cache) => cache.update(sessionKey, record, ttlSeconds),
        sessionKey,
      );
      return true;
    }
    await this.#bestEffort.attempt("delete", (cache) => cache.remove(sessionKey), sessionKey);
    return false;
  }

  /**
   * The database decides (a conditional update); the cache follows with its
   * own compare-and-set from the same old value, so two saves whose cache
   * writes arrive out of order leave no entry rather than the older one.
   * Whenever the cache does not hold exactly what the database had, the
   * entry is dropped and the next read refills it from the database.
   */
  async swap(
    sessionKey: string,
    expected: SessionRecord,
    record: SessionRecord,
    ttlSeconds: number,
  ): Promise<SwapResult> {
    const result = await this.db.swap(sessionKey, expected, record, ttlSeconds);
    const cached =
      result === "saved"
        ? await this.#bestEffort.attempt(
            "store",
            (cache) => cache.swap(sessionKey, expected, record, ttlSeconds),
            sessionKey,
          )
        : null;
    if (cached !== "saved" && cached !== FAILED)
      await this.#bestEffort.attempt("delete", (cache) => cache.remove(sessionKey), sessionKey);
    return result;
  }

  /** The database decides; the cache entry goes whatever it holds, and the next read refills it. */
  async removeIf(sessionKey: string, expected: SessionRecord): Promise<RemoveResult> {
    const result = await this.db.removeIf(sessionKey, expected);
    await this.#bestEffort.attempt("delete", (cache) => cache.remove(sessionKey), sessionKey);
    return result;
  }

  async remove(sessionKey: string): Promise<boolean | void> {
    const removed = await this.db.remove(sessionKey);
    await this.#bestEffort.attempt("delete", (cache) => cache.remove(sessionKey), sessionKey);
    return removed;
  }

  async exists(sessionKey: string): Promise<boolean> {
    return (
      (await this.#bestEffort.attempt("read", (cache) => cache.exists(sessionKey))) === true ||
      this.db.exists(sessionKey)
    );
  }

  clearExpired(judge: ExpiryJudge): Promise<number> {
    return this.db.clearExpired(judge);
  }

  /**
   * Caches a row just read, if no entry appeared meanwhile, then reads the
   * row again: if it was saved or deleted in between (a logout must win),
   * the entry just made may be stale and is dropped.
   */
  async #fill(sessionKey: string, record: SessionRecord) {
    const ttl = record.expireDate
      ? Math.floor((record.expireDate.getTime() - Date.now()) / 1000)
      : 0;
    if (ttl <= 0) return;
    const added = await this.#bestEffort.attempt(
      "store",
      (cache) => cache.insert(sessionKey, record, ttl),
      sessionKey,
    );
    if (added !== true) return;
    if ((await this.db.read(sessionKey))?.data !== record.data) {
      await this.#bestEffort.attempt("delete", (cache) => cache.remove(sessionKey), sessionKey);
    }
  }
}

/** Django's `cached_db.SessionStore`. Subclasses may change `cacheKeyPrefix`, as in Django. */
export class SessionStore extends StoredSession {
  protected static readonly cacheKeyPrefix: string = CACHED_DB_KEY_PREFIX;

  protected readonly storage = new CachedDbStorage(
    new DbStorage(databaseFor(this.settings.DATABASE_URL)),
    new CacheStorage(
      sessionCache(this.settings),
      (this.constructor as typeof SessionStore).cacheKeyPrefix,
    ),
  );
}

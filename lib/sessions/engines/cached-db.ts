import { databaseFor } from "../../db/client";
import { sessionCache } from "../caches";
import { StorageError } from "../errors";
import { logStorageFailure } from "../log";
import type { ExpiryJudge, SessionRecord, SessionStorage, SwapResult } from "../stored";
import { StoredSession } from "../stored";
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

/** What a failed cache operation answers in place of a value. */
const FAILED = Symbol("the cache failed");

/**
 * Per cache client: the cache keys whose last write or delete failed, so
 * their entries may hold older data than the database. Such an entry is
 * deleted before the cache is trusted for it again.
 */
const doubtful = new WeakMap<object, Set<string>>();

/** A storage that can save conditionally, as the database behind `cached_db` must. */
export type ConditionalStorage = SessionStorage & Required<Pick<SessionStorage, "swap">>;

/** Write-through composition of a database storage and a cache storage. */
export class CachedDbStorage implements SessionStorage {
  readonly db: ConditionalStorage;
  readonly cache: CacheStorage;

  constructor(db: ConditionalStorage, cache: CacheStorage) {
    this.db = db;
    this.cache = cache;
  }

  async read(sessionKey: string): Promise<SessionRecord | null> {
    const cached = (await this.#cleared(sessionKey))
      ? await this.#tryCache("read", () => this.cache.read(sessionKey))
      : FAILED;
    if (cached !== FAILED && cached !== null) return cached;
    const record = await this.db.read(sessionKey);
    // After a cache failure, don't wait on the cache a second time in this request.
    if (record && cached === null) await this.#fill(sessionKey, record);
    return record;
  }

  async insert(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    if (!(await this.db.insert(sessionKey, record, ttlSeconds))) return false;
    await this.#tryCache("store", () => this.cache.put(sessionKey, record, ttlSeconds), sessionKey);
    return true;
  }

  /**
   * Replaces the cache entry only if it is there (Django sets it), so a
   * logout that deleted both between our two writes is not undone. A record
   * gone from the database is removed from the cache too: never served stale.
   */
  async update(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    if (await this.db.update(sessionKey, record, ttlSeconds)) {
      await this.#tryCache(
        "store",
        () => this.cache.update(sessionKey, record, ttlSeconds),
        sessionKey,
      );
      return true;
    }
    await this.#tryCache("delete", () => this.cache.remove(sessionKey), sessionKey);
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
        ? await this.#tryCache(
            "store",
            () => this.cache.swap(sessionKey, expected, record, ttlSeconds),
            sessionKey,
          )
        : null;
    if (cached !== "saved" && cached !== FAILED)
      await this.#tryCache("delete", () => this.cache.remove(sessionKey), sessionKey);
    return result;
  }

  async remove(sessionKey: string): Promise<boolean | void> {
    const removed = await this.db.remove(sessionKey);
    await this.#tryCache("delete", () => this.cache.remove(sessionKey), sessionKey);
    return removed;
  }

  async exists(sessionKey: string): Promise<boolean> {
    return (
      (await this.#tryCache("read", () => this.cache.exists(sessionKey))) === true ||
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
    const added = await this.#tryCache(
      "store",
      () => this.cache.insert(sessionKey, record, ttl),
      sessionKey,
    );
    if (added !== true) return;
    if ((await this.db.read(sessionKey))?.data !== record.data) {
      await this.#tryCache("delete", () => this.cache.remove(sessionKey), sessionKey);
    }
  }

  /** The keys of this cache whose entries may be stale. */
  get #doubtful(): Set<string> {
    let keys = doubtful.get(this.cache.cache);
    if (!keys) doubtful.set(this.cache.cache, (keys = new Set()));
    return keys;
  }

  /** Whether the cache may be read for this key: true unless a stale entry could not be dropped. */
  async #cleared(sessionKey: string): Promise<boolean> {
    const cacheKey = this.cache.cacheKey(sessionKey);
    if (!this.#doubtful.has(cacheKey)) return true;
    const dropped = await this.#tryCache("delete", () => this.cache.remove(sessionKey));
    if (dropped === FAILED) return false;
    this.#doubtful.delete(cacheKey);
    return true;
  }

  /**
   * A cache operation whose failure is logged (never with the key) and
   * answered with `FAILED`. A failed write of `doubtfulKey`'s entry marks it
   * as possibly stale.
   */
  async #tryCache<T>(
    what: "read" | "store" | "delete",
    operation: () => Promise<T>,
    doubtfulKey?: string,
  ): Promise<T | typeof FAILED> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      if (doubtfulKey !== undefined) this.#doubtful.add(this.cache.cacheKey(doubtfulKey));
      logStorageFailure(
        `cached_db could not ${what} the cache entry; the database answered`,
        error,
      );
      return FAILED;
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

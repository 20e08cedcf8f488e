import { StorageError } from "../errors";
import { logStorageFailure } from "../log";
import type { CacheStorage } from "./cache";

/** What a failed cache operation answers in place of a value. */
export const FAILED = Symbol("the cache failed");

/**
 * Per cache client: the cache keys whose last write or delete failed, so
 * their entries may hold older data than the database. Such an entry is
 * deleted before the cache is trusted for it again.
 */
const doubtful = new WeakMap<object, Set<string>>();

/**
 * The cache in front of `cached_db`'s database, used at best effort: a
 * failure is logged (never with the key) and answered with `FAILED`, so the
 * database can answer instead. An entry whose write or delete failed may
 * still hold older data (the cache was unreachable, not restarted), so it
 * is remembered as doubtful and dropped before it is read again.
 */
export class BestEffortCache {
  readonly storage: CacheStorage;

  constructor(storage: CacheStorage) {
    this.storage = storage;
  }

  /**
   * Runs `operation`; on a cache failure, logs it and answers `FAILED`. A
   * failed write or delete of `sessionKey`'s entry marks it as doubtful.
   */
  async attempt<T>(
    what: "read" | "store" | "delete",
    operation: (cache: CacheStorage) => Promise<T>,
    sessionKey?: string,
  ): Promise<T | typeof FAILED> {
    try {
      return await operation(this.storage);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      if (sessionKey !== undefined) this.#doubtful.add(this.storage.cacheKey(sessionKey));
      logStorageFailure(
        `cached_db could not ${what} the cache entry; the database answered`,
        error,
      );
      return FAILED;
    }
  }

  /** Whether the cache may be read for this key: true unless a doubtful entry could not be dropped. */
  async readable(sessionKey: string): Promise<boolean> {
    const cacheKey = this.storage.cacheKey(sessionKey);
    if (!this.#doubtful.has(cacheKey)) return true;
    const dropped = await this.attempt("delete", (cache) => cache.remove(sessionKey));
    if (dropped === FAILED) return false;
    this.#doubtful.delete(cacheKey);
    return true;
  }

  /** The doubtful keys of this cache client, shared by every store that uses it. */
  get #doubtful(): Set<string> {
    let keys = doubtful.get(this.storage.cache);
    if (!keys) doubtful.set(this.storage.cache, (keys = new Set()));
    return keys;
  }
}

import type { Cache } from "../caches";
import { sessionCache } from "../caches";
import type { RemoveResult, SessionRecord, SessionStorage, SwapResult } from "../stored";
import { StoredSession } from "../stored";

/**
 * `SESSION_ENGINE=cache`: sessions kept only in the cache named by
 * `SESSION_CACHE_ALIAS` (Redis or memcached, `CACHE_<ALIAS>_URL`).
 *
 * Durability: none. An eviction (memcached's LRU, Redis's `maxmemory`
 * policy) or a restart of the cache logs visitors out. Use `cached_db` when
 * sessions must survive that. Size: one entry per session, bounded by the
 * cache's item size (memcached: 1 MB by default). Expiry: the entry's TTL is
 * the session's expiry age, so the cache removes expired sessions by itself.
 *
 * Unlike Django, a cache that is down is not mistaken for an empty session:
 * `load` and `save` raise `StorageError` (the request can answer 503 and keep
 * the visitor's cookie).
 */

/** Django's `django.contrib.sessions.backends.cache.KEY_PREFIX`. */
export const CACHE_KEY_PREFIX = "django.contrib.sessions.cache";

/**
 * Sessions in a `Cache`, under `keyPrefix + sessionKey`. The stored value is
 * the signed session string, so a tampered entry decodes to an empty session.
 */
export class CacheStorage implements SessionStorage {
  readonly cache: Cache;
  readonly keyPrefix: string;

  constructor(cache: Cache, keyPrefix: string) {
    this.cache = cache;
    this.keyPrefix = keyPrefix;
  }

  /** The cache key of a session (Django's `cache_key`). */
  cacheKey(sessionKey: string): string {
    return this.keyPrefix + sessionKey;
  }

  async read(sessionKey: string): Promise<SessionRecord | null> {
    const key = this.cacheKey(sessionKey);
    // No date: the entry's TTL is its expiry, and the cache drops it when it passes.
    if (!this.cache.getWithToken) {
      const data = await this.cache.get(key);
      return data === null ? null : { data, expireDate: null };
    }
    const found = await this.cache.getWithToken(key);
    return found && { data: found.value, expireDate: null, version: found.token };
  }

  insert(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    return this.cache.add(this.cacheKey(sessionKey), record.data, ttlSeconds);
  }

  /** `replace`, not Django's get-then-set: a session deleted meanwhile stays deleted. */
  update(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean> {
    return this.cache.replace(this.cacheKey(sessionKey), record.data, ttlSeconds);
  }

  /** A compare-and-set on the cache entry (a Lua script in Redis, `cas` in memcached, with the read's token if any). */
  swap(
    sessionKey: string,
    expected: SessionRecord,
    record: SessionRecord,
    ttlSeconds: number,
  ): Promise<SwapResult> {
    return this.cache.compareAndSet(
      this.cacheKey(sessionKey),
      expected.data,
      record.data,
      ttlSeconds,
      expected.version,
    );
  }

  /** Stores whether or not an entry exists (what `cached_db` writes after the database). */
  put(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    return this.cache.set(this.cacheKey(sessionKey), record.data, ttlSeconds);
  }

  /** The same compare-and-set, storing nothing: an entry saved since the read is kept. */
  async removeIf(sessionKey: string, expected: SessionRecord): Promise<RemoveResult> {
    const result = await this.cache.compareAndSet(
      this.cacheKey(sessionKey),
      expected.data,
      "",
      0,
      expected.version,
    );
    return result === "saved" ? "removed" : result;
  }

  remove(sessionKey: string): Promise<boolean> {
    return this.cache.delete(this.cacheKey(sessionKey));
  }

  exists(sessionKey: string): Promise<boolean> {
    return this.cache.has(this.cacheKey(sessionKey));
  }

  /** The cache expires entries itself: there is never anything to clear. */
  async clearExpired(): Promise<number> {
    return 0;
  }
}

/** Django's `cache.SessionStore`. Subclasses may change `cacheKeyPrefix`, as in Django. */
export class SessionStore extends StoredSession {
  protected static readonly cacheKeyPrefix: string = CACHE_KEY_PREFIX;

  protected readonly storage = new CacheStorage(
    sessionCache(this.settings),
    (this.constructor as typeof SessionStore).cacheKeyPrefix,
  );
}

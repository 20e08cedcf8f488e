import type { SessionSettings } from "./settings";
import { ImproperlyConfigured } from "./errors";
import type { SwapResult } from "./stored";
import { MemcachedCache } from "./cache-clients/memcached";
import { redisServerCache } from "./cache-clients/redis";
import { redisClusterCache, REDIS_CLUSTER_SCHEME } from "./cache-clients/redis-cluster";

export { CACHE_TIMEOUT_MS } from "./cache-clients/failure";

/**
 * Django's `caches[alias]`, reduced to what the `cache` and `cached_db`
 * engines need, for Redis and Redis Cluster (ioredis) and memcached
 * (memcache-client).
 *
 * A cache that is down makes every operation fail with `StorageError` within
 * about `CACHE_TIMEOUT_MS`, never hang a request; the client reconnects by
 * itself when the server is back. A command that could not be sent is never
 * queued or resent later, where it could overwrite a newer write (one that
 * timed out after it was sent may still have been applied, as with any
 * network store).
 */
export interface Cache {
  /** The value, or null when there is none (absent, expired or evicted). */
  get(key: string): Promise<string | null>;
  /** Stores only when the key is free; false when it is taken. `ttlSeconds` ≤ 0 stores nothing. */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Stores only when the key is present; false when it is not. `ttlSeconds` ≤ 0 deletes it. */
  replace(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Stores unconditionally. `ttlSeconds` ≤ 0 deletes the key instead. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Deletes the key; false when there was none (not an error). */
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /**
   * Stores `value` only if the entry still holds `expected`, atomically:
   * "saved", "changed" (it holds something else) or "gone" (no entry).
   * `ttlSeconds` ≤ 0 deletes it instead of storing. With the `token` read
   * along with `expected` (`getWithToken`), "changed" means stored since,
   * even if with the same value.
   */
  compareAndSet(
    key: string,
    expected: string,
    value: string,
    ttlSeconds: number,
    token?: string,
  ): Promise<SwapResult>;
  /**
   * Optional: the value and a token that changes whenever the entry is
   * stored (memcached's CAS unique). Given back to `compareAndSet`, the token
   * replaces the comparison of values, saving memcached a round trip.
   */
  getWithToken?(key: string): Promise<{ value: string; token: string } | null>;
  /** Disconnects; the next `cacheFor` of the same URL opens a new client. */
  close(): Promise<void>;
}

// Kept on globalThis so `next dev` reloads reuse one connection per cache.
const holder = globalThis as typeof globalThis & { evermoreCaches?: Map<string, Cache> };

/**
 * The process-wide client of a cache URL (`redis://`, `rediss://`,
 * `redis+cluster://host:port,host:port` or `memcached://host:port`), opened on
 * first use. A Redis URL may name a database (`redis://host:6379/2`) and carry
 * credentials; a cluster URL lists nodes to discover the cluster from, and has
 * database 0 only. `setting` names the variable to fix in the error for a bad URL.
 */
export function cacheFor(url: string, setting = "cache URL"): Cache {
  holder.evermoreCaches ??= new Map();
  const caches = holder.evermoreCaches;
  let cache = caches.get(url);
  if (!cache) {
    cache = openCache(url, setting, () => caches.delete(url));
    caches.set(url, cache);
  }
  return cache;
}

function openCache(url: string, setting: string, forget: () => void): Cache {
  // Checked before WHATWG parsing, which refuses a list of hosts.
  if (url.startsWith(`${REDIS_CLUSTER_SCHEME}//`)) return redisClusterCache(url, setting, forget);
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed?.protocol === "redis:" || parsed?.protocol === "rediss:")
    return redisServerCache(parsed, forget);
  if (parsed?.protocol === "memcached:") return new MemcachedCache(parsed, forget);
  // The URL itself is left out of the message: it may hold a password.
  throw new ImproperlyConfigured(
    `${setting}: expected redis://…, rediss://…, redis+cluster://host:port,… or memcached://host:port`,
  );
}

/** Closes every cache client of the process (scripts and tests end with it). */
export async function closeCaches(): Promise<void> {
  const caches = [...(holder.evermoreCaches?.values() ?? [])];
  await Promise.all(caches.map((cache) => cache.close()));
}

/**
 * The cache the session engines use: `CACHES[SESSION_CACHE_ALIAS]`, Django's
 * `caches[settings.SESSION_CACHE_ALIAS]`. An alias without a URL is a
 * configuration error naming the variable to set.
 */
export function sessionCache(
  settings: Pick<SessionSettings, "CACHES" | "SESSION_CACHE_ALIAS">,
): Cache {
  const alias = settings.SESSION_CACHE_ALIAS;
  const url = settings.CACHES[alias];
  if (!url) {
    throw new ImproperlyConfigured(
      `SESSION_CACHE_ALIAS: sessions use the cache "${alias}", but CACHE_${alias.toUpperCase()}_URL is not set`,
    );
  }
  return cacheFor(url, `CACHE_${alias.toUpperCase()}_URL`);
}

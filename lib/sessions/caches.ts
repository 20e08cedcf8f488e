import { once } from "node:events";
import { Redis } from "ioredis";
import { MemcacheClient } from "memcache-client";
import type { SessionSettings } from "./settings";
import { ImproperlyConfigured, StorageError } from "./errors";

/**
 * Django's `caches[alias]`, reduced to what the `cache` and `cached_db`
 * engines need, for Redis (ioredis) and memcached (memcache-client).
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
  /** Deletes the key; a missing key is not an error. */
  delete(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
  /** Disconnects; the next `cacheFor` of the same URL opens a new client. */
  close(): Promise<void>;
}

/** How long a cache may take to connect or to answer one command, in milliseconds. */
export const CACHE_TIMEOUT_MS = 1000;

/** Redis, through ioredis: `SET … NX`/`XX` make `add`/`replace` atomic. */
class RedisCache implements Cache {
  readonly #client: Redis;
  readonly #name: string;
  readonly #forget: () => void;
  #connecting: Promise<void> | undefined;

  constructor(url: URL, forget: () => void) {
    this.#name = `redis at ${url.host}`;
    this.#forget = forget;
    this.#client = new Redis(url.href, {
      connectTimeout: CACHE_TIMEOUT_MS,
      commandTimeout: CACHE_TIMEOUT_MS,
      // A command is sent now or fails now: never queued, never resent after a reconnect,
      // where it could overwrite what a later request wrote.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, CACHE_TIMEOUT_MS),
    });
    // Failures reach callers through their commands; without a listener ioredis
    // would print every reconnection attempt of an outage.
    this.#client.on("error", () => undefined);
  }

  get(key: string) {
    return this.#run("get", (redis) => redis.get(key));
  }

  async add(key: string, value: string, ttlSeconds: number) {
    const seconds = Math.floor(ttlSeconds);
    if (seconds <= 0) return !(await this.has(key));
    return (await this.#run("add", (redis) => redis.set(key, value, "EX", seconds, "NX"))) === "OK";
  }

  async replace(key: string, value: string, ttlSeconds: number) {
    const seconds = Math.floor(ttlSeconds);
    if (seconds <= 0) return (await this.#run("replace", (redis) => redis.del(key))) > 0;
    return (
      (await this.#run("replace", (redis) => redis.set(key, value, "EX", seconds, "XX"))) === "OK"
    );
  }

  async set(key: string, value: string, ttlSeconds: number) {
    const seconds = Math.floor(ttlSeconds);
    if (seconds <= 0) return this.delete(key);
    await this.#run("set", (redis) => redis.set(key, value, "EX", seconds));
  }

  async delete(key: string) {
    await this.#run("delete", (redis) => redis.del(key));
  }

  async has(key: string) {
    return (await this.#run("has", (redis) => redis.exists(key))) > 0;
  }

  async close() {
    this.#forget();
    this.#client.disconnect();
  }

  async #run<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      await this.#ready();
      return await command(this.#client);
    } catch (error) {
      throw cacheFailure(this.#name, operation, error);
    }
  }

  /**
   * Waits, boundedly, for a connection attempt under way (the first one, or a
   * reconnection); between attempts the server is known to be down, and the
   * command fails at once rather than adding a wait to every request.
   */
  async #ready() {
    const status = this.#client.status;
    if (status === "ready") return;
    if (status !== "connecting" && status !== "connect")
      throw new Error(`not connected (${status})`);
    // One wait shared by every command that arrives meanwhile.
    this.#connecting ??= this.#untilReady().finally(() => {
      this.#connecting = undefined;
    });
    await this.#connecting;
  }

  async #untilReady() {
    try {
      await once(this.#client, "ready", { signal: AbortSignal.timeout(CACHE_TIMEOUT_MS) });
    } catch (error) {
      if (!(error instanceof Error && error.name === "AbortError")) throw error;
      throw new Error(`no connection within ${CACHE_TIMEOUT_MS} ms`);
    }
  }
}

/**
 * memcached, through memcache-client (one server). Its `add`/`replace` are
 * atomic; values are at most 1 MB by default (memcached's item size).
 */
class MemcachedCache implements Cache {
  readonly #client: MemcacheClient;
  readonly #name: string;
  readonly #forget: () => void;

  constructor(url: URL, forget: () => void) {
    this.#name = `memcached at ${url.host}`;
    this.#forget = forget;
    this.#client = new MemcacheClient({
      server: `${url.hostname}:${url.port || 11211}`,
      cmdTimeout: CACHE_TIMEOUT_MS,
      connectTimeout: CACHE_TIMEOUT_MS,
    });
  }

  async get(key: string) {
    const found = await this.#run("get", key, () => this.#client.get<string>(key));
    // memcache-client answers undefined for a missing key, whatever its types say.
    return found === undefined ? null : String(found.value);
  }

  add(key: string, value: string, ttlSeconds: number) {
    return this.#store("add", key, value, ttlSeconds);
  }

  replace(key: string, value: string, ttlSeconds: number) {
    return this.#store("replace", key, value, ttlSeconds);
  }

  async set(key: string, value: string, ttlSeconds: number) {
    await this.#store("set", key, value, ttlSeconds);
  }

  async delete(key: string) {
    await this.#run("delete", key, () => this.#client.delete(key).catch(unless("NOT_FOUND", [])));
  }

  async has(key: string) {
    return (await this.get(key)) !== null;
  }

  async close() {
    this.#forget();
    this.#client.shutdown();
  }

  /** One of memcached's store commands; false when it answers NOT_STORED. */
  #store(command: "add" | "replace" | "set", key: string, value: string, ttlSeconds: number) {
    const options = { lifetime: memcachedExptime(ttlSeconds) };
    return this.#run(command, key, () =>
      this.#client
        .store(command, key, value, options)
        .then(() => true, unless("NOT_STORED", false)),
    );
  }

  async #run<T>(operation: string, key: string, command: () => Promise<T>): Promise<T> {
    if (!MEMCACHED_KEY.test(key)) {
      throw new StorageError(
        `${this.#name}: keys are 1 to 250 printable ASCII characters without spaces`,
      );
    }
    try {
      return await command();
    } catch (error) {
      throw cacheFailure(this.#name, operation, error);
    }
  }
}

/** memcache-client reports some answers (NOT_STORED, NOT_FOUND) as errors: turns one back into a value. */
function unless<T>(reply: string, answer: T) {
  return (error: unknown): T => {
    if (error instanceof Error && error.message === reply) return answer;
    throw error;
  };
}

/** memcached's key rule (ASCII keys; session keys always are). */
const MEMCACHED_KEY = /^[\x21-\x7e]{1,250}$/;

/** memcached reads an expiry over 30 days as a Unix time, and a negative one as "already expired". */
const MEMCACHED_RELATIVE_LIMIT = 30 * 24 * 60 * 60;

function memcachedExptime(ttlSeconds: number): number {
  const seconds = Math.floor(ttlSeconds);
  // 0 would mean "never expires": anything not in the future is stored as already expired.
  if (seconds <= 0) return -1;
  if (seconds <= MEMCACHED_RELATIVE_LIMIT) return seconds;
  return Math.floor(Date.now() / 1000) + seconds;
}

/**
 * The error a failed cache operation raises. The client's error is not kept
 * as `cause`: client errors can carry the command's arguments, which hold the
 * session key, and keys must never reach a log.
 */
function cacheFailure(name: string, operation: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StorageError(`${name}: ${operation} failed (${reason})`);
}

// Kept on globalThis so `next dev` reloads reuse one connection per cache.
const holder = globalThis as typeof globalThis & { evermoreCaches?: Map<string, Cache> };

/**
 * The process-wide client of a cache URL (`redis://`, `rediss://` or
 * `memcached://host:port`), opened on first use. A Redis URL may name a
 * database (`redis://host:6379/2`) and carry credentials. `setting` names the
 * variable to fix in the error for a bad URL.
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
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed?.protocol === "redis:" || parsed?.protocol === "rediss:")
    return new RedisCache(parsed, forget);
  if (parsed?.protocol === "memcached:") return new MemcachedCache(parsed, forget);
  // The URL itself is left out of the message: it may hold a password.
  throw new ImproperlyConfigured(
    `${setting}: expected redis://…, rediss://… or memcached://host:port`,
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

import { MemcacheClient } from "memcache-client";
import type { Cache } from "../caches";
import { StorageError } from "../errors";
import type { SwapResult } from "../stored";
import { cacheFailure, CACHE_TIMEOUT_MS } from "./failure";

/**
 * memcached, through memcache-client (one server). Its `add`/`replace` are
 * atomic; values are at most 1 MB by default (memcached's item size).
 */
export class MemcachedCache implements Cache {
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
    return this.#run("delete", key, () =>
      this.#client.delete(key).then(() => true, unless("NOT_FOUND", false)),
    );
  }

  async has(key: string) {
    return (await this.get(key)) !== null;
  }

  /** `gets`: the value and its CAS unique, which changes whenever the entry is stored. */
  async getWithToken(key: string) {
    const found = await this.#run("get", key, () => this.#client.gets<string>(key));
    return found === undefined
      ? null
      : { value: String(found.value), token: String(found.casUniq) };
  }

  /**
   * memcached's own check-and-set: `cas` fails if anyone stored since the
   * CAS unique was read, by `getWithToken` (one round trip) or here by `gets`
   * followed by a comparison with `expected` (two).
   */
  async compareAndSet(
    key: string,
    expected: string,
    value: string,
    ttlSeconds: number,
    token?: string,
  ): Promise<SwapResult> {
    return this.#run("compare-and-set", key, async () => {
      let casUniq = token;
      if (casUniq === undefined) {
        const found = await this.#client.gets<string>(key);
        if (found === undefined) return "gone";
        if (String(found.value) !== expected) return "changed";
        casUniq = String(found.casUniq);
      }
      const options = { casUniq, lifetime: memcachedExptime(ttlSeconds) };
      return this.#client.cas(key, value, options).then(
        (): SwapResult => "saved",
        (error: unknown): SwapResult => {
          if (error instanceof Error && error.message === "EXISTS") return "changed";
          if (error instanceof Error && error.message === "NOT_FOUND") return "gone";
          throw error;
        },
      );
    });
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

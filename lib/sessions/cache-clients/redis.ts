import { once } from "node:events";
import { Redis } from "ioredis";
import type { Cache } from "../caches";
import type { SwapResult } from "../stored";
import { cacheFailure, CACHE_TIMEOUT_MS } from "./failure";

/** Compare-and-set in Redis: 0 gone, 1 changed, 2 saved; a TTL of 0 deletes. */
const COMPARE_AND_SET = `
local current = redis.call("GET", KEYS[1])
if not current then return 0 end
if current ~= ARGV[1] then return 1 end
if tonumber(ARGV[3]) <= 0 then redis.call("DEL", KEYS[1])
else redis.call("SET", KEYS[1], ARGV[2], "EX", ARGV[3]) end
return 2`;
const SWAP_ANSWERS: SwapResult[] = ["gone", "changed", "saved"];

/** The script, registered on each client with `defineCommand`. */
interface CompareAndSetCommand {
  evermoreCompareAndSet(
    key: string,
    expected: string,
    value: string,
    seconds: number,
  ): Promise<number>;
}

/** Redis, through ioredis: `SET … NX`/`XX` make `add`/`replace` atomic. */
export class RedisCache implements Cache {
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
    // Sent as EVALSHA (the script itself only when Redis does not have it yet): every save runs it.
    this.#client.defineCommand("evermoreCompareAndSet", { numberOfKeys: 1, lua: COMPARE_AND_SET });
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
    if (seconds <= 0) {
      await this.delete(key);
      return;
    }
    await this.#run("set", (redis) => redis.set(key, value, "EX", seconds));
  }

  async delete(key: string) {
    return (await this.#run("delete", (redis) => redis.del(key))) > 0;
  }

  /** One Lua script: Redis runs it atomically, so nothing can write between the compare and the set. */
  async compareAndSet(key: string, expected: string, value: string, ttlSeconds: number) {
    const seconds = Math.max(0, Math.floor(ttlSeconds));
    const answer = await this.#run("compare-and-set", (redis) =>
      (redis as Redis & CompareAndSetCommand).evermoreCompareAndSet(key, expected, value, seconds),
    );
    return SWAP_ANSWERS[Number(answer)]!;
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

import { once } from "node:events";
import type { RedisOptions } from "ioredis";
import { Cluster, Redis } from "ioredis";
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

/** A client of one server or of a cluster: the same commands, each on one key (so one slot). */
type RedisClient = Redis | Cluster;

/** The script, registered on each client with `defineCommand`. */
interface CompareAndSetCommand {
  evermoreCompareAndSet(
    key: string,
    expected: string,
    value: string,
    seconds: number,
  ): Promise<number>;
}

/**
 * The ioredis options of every connection, a cluster's node connections
 * included: bounded waits, and no command resent after a reconnect, where it
 * could overwrite what a later request wrote. Each client also turns off its
 * offline queue, so a command is sent now or fails now.
 */
export const CONNECTION_OPTIONS = {
  connectTimeout: CACHE_TIMEOUT_MS,
  commandTimeout: CACHE_TIMEOUT_MS,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
} satisfies RedisOptions;

/** How long to wait before reconnecting after the attempt'th failure, in milliseconds. */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, CACHE_TIMEOUT_MS);
}

/** One Redis server: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
export function redisServerCache(url: URL, forget: () => void): RedisCache {
  const client = new Redis(url.href, {
    ...CONNECTION_OPTIONS,
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  });
  return new RedisCache(client, `redis at ${url.host}`, forget);
}

/** Redis through ioredis, one server or a cluster: `SET … NX`/`XX` make `add`/`replace` atomic. */
export class RedisCache implements Cache {
  readonly #client: RedisClient;
  readonly #name: string;
  readonly #forget: () => void;
  #connecting: Promise<void> | undefined;
  /** Whether this turn's commands are being held back to go out in one write (`#batch`). */
  #batching = false;

  /** `name` says which cache failed in errors; it must not hold a password. */
  constructor(client: RedisClient, name: string, forget: () => void) {
    this.#client = client;
    this.#name = name;
    this.#forget = forget;
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
      redis.evermoreCompareAndSet(key, expected, value, seconds),
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

  async #run<T>(
    operation: string,
    command: (redis: RedisClient & CompareAndSetCommand) => Promise<T>,
  ): Promise<T> {
    try {
      // Nothing to wait for on an open connection: no promise (see `#ready`).
      const opening = this.#ready();
      if (opening) await opening;
      this.#batch();
      return await command(this.#client as RedisClient & CompareAndSetCommand);
    } catch (error) {
      throw cacheFailure(this.#name, operation, error);
    }
  }

  /**
   * Commands issued in the same turn of the event loop (concurrent requests
   * answered by one reply from Redis, then saving) go out in one write: the
   * socket is corked until the turn ends. A lone command pays nothing for it,
   * unlike ioredis' auto-pipelining, which builds a pipeline for every batch
   * (about 15 µs per command on loopback, more than a cork saves). One
   * server only: a cluster's commands go out on one connection per node.
   */
  #batch() {
    if (this.#batching || this.#client instanceof Cluster) return;
    const socket = this.#client.stream;
    socket.cork();
    this.#batching = true;
    setImmediate(() => {
      this.#batching = false;
      socket.uncork();
    });
  }

  /**
   * A wait, bounded, for connections being opened (the first ones, or
   * reconnections); undefined when every connection is open, which is the
   * case of nearly every command, so that it costs no promise. Between
   * attempts the server is known to be down, and the command fails at once
   * rather than adding a wait to every request.
   */
  #ready(): Promise<void> | undefined {
    const status = this.#client.status;
    if (status !== "ready" && status !== "connecting" && status !== "connect")
      throw new Error(`not connected (${status})`);
    if (status === "ready" && !nodes(this.#client).some(isOpening)) return undefined;
    // One wait shared by every command that arrives meanwhile.
    this.#connecting ??= this.#untilReady().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** The client, then a cluster's nodes being opened, within CACHE_TIMEOUT_MS in all. */
  async #untilReady() {
    const deadline = AbortSignal.timeout(CACHE_TIMEOUT_MS);
    try {
      if (this.#client.status !== "ready") await opened(this.#client, deadline);
    } catch (error) {
      if (!(error instanceof Error && error.name === "AbortError")) throw error;
      throw new Error(`no connection within ${CACHE_TIMEOUT_MS} ms`);
    }
    // A node that cannot be reached fails the commands for its slots when they are sent, not all.
    const opening = nodes(this.#client).filter(isOpening);
    await Promise.allSettled(opening.map((node) => opened(node, deadline)));
  }
}

/**
 * Resolves when the connection attempt under way succeeds; rejects when it
 * fails (an error, or the connection closed: a cluster drops a node's
 * connection while it is still opening when the node leaves the slot map).
 */
async function opened(connection: RedisClient, deadline: AbortSignal): Promise<void> {
  const settled = new AbortController();
  const signal = AbortSignal.any([deadline, settled.signal]);
  const closed = async (event: string) => {
    await once(connection, event, { signal });
    throw new Error("connection closed");
  };
  try {
    // `once` rejects on an "error" event, too.
    await Promise.race([once(connection, "ready", { signal }), closed("close"), closed("end")]);
  } finally {
    settled.abort();
  }
}

/** A cluster's connections to its nodes; none for one server. */
function nodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes() : [];
}

function isOpening(connection: Redis): boolean {
  return connection.status === "connecting" || connection.status === "connect";
}

import { Redis } from "ioredis";
import { getSessionStore } from "../../lib/sessions";
import { cacheFor } from "../../lib/sessions/caches";
import type { BenchContext } from "./context";
import { AGE_SECONDS, libraryCycle, rawRedisCycle } from "./engines";
import { nextCounter } from "./payload";
import type { BenchCase, Operation } from "./runner";

/**
 * Where the Redis cycle's time goes: the library's cycle taken apart, each
 * layer against the same raw GET+SET. The cache client with its
 * compare-and-set script, then Django's signed encoding on top, then the
 * whole session cycle (expiry, change tracking). No target: it explains the
 * engine-cycle ratio of the same run.
 */

const KEY = "bench:anatomy";

/** The stored session, a raw client holding a copy, and the raw GET+SET. */
async function prepared(redisUrl: string) {
  const settings = { CACHES: { default: redisUrl } };
  const { cycle, encoded } = await libraryCycle("cache", settings);
  const redis = new Redis(redisUrl);
  await redis.set(KEY, encoded);
  const baseline = rawRedisCycle(redis, KEY);
  const Store = await getSessionStore("cache");
  return {
    cycle,
    baseline,
    redis,
    cache: cacheFor(redisUrl),
    codec: new Store(null, { settings }),
  };
}

/** One layer of the cycle against the raw GET+SET. */
function layer(
  name: string,
  subject: (parts: Awaited<ReturnType<typeof prepared>>) => Operation,
): BenchCase<BenchContext> {
  return {
    name,
    async prepare({ redisUrl }, closers) {
      const parts = await prepared(redisUrl);
      closers.push(() => parts.redis.quit());
      return { subject: subject(parts), baseline: parts.baseline };
    },
  };
}

export const ANATOMY_CASES: BenchCase<BenchContext>[] = [
  layer("GET + compare-and-set script, through the library's cache client", ({ cache }) => {
    return async () => {
      const value = (await cache.get(KEY))!;
      await cache.compareAndSet(KEY, value, value, AGE_SECONDS);
    };
  }),
  layer("… + reading and writing Django's signed format", ({ cache, codec }) => {
    return async () => {
      const value = (await cache.get(KEY))!;
      const data = codec.decode(value);
      data.counter = nextCounter(data.counter);
      await cache.compareAndSet(KEY, value, codec.encode(data), AGE_SECONDS);
    };
  }),
  layer("the whole session cycle (the engine-cycle row)", ({ cycle }) => cycle),
];

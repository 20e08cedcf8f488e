import fs from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { MemcacheClient } from "memcache-client";
import { databaseFor } from "../../lib/db/client";
import type { Settings } from "../../lib/settings";
import { getSessionStore } from "../../lib/sessions";
import type { BenchContext } from "./context";
import { nextCounter, realisticSession } from "./payload";
import type { BenchCase, Closer, Operation } from "./runner";

/**
 * Engine cycle: load a stored session, change one key, save it — through
 * the library, against the raw store doing the least that achieves the same
 * (read the value, write it back), in the same process. The cookie engines
 * are in cookies.ts.
 */

export const AGE_SECONDS = 1_209_600;

/** A stored session of `engine` and the library's cycle on it; also its encoded data. */
export async function libraryCycle(engine: string, settings: Partial<Settings>) {
  const Store = await getSessionStore(engine);
  const first = new Store(null, { settings });
  await first.update(realisticSession());
  await first.save();
  const key = first.sessionKey!;
  const cycle: Operation = async () => {
    const session = new Store(key, { settings });
    await session.set("counter", nextCounter(await session.get("counter")));
    await session.save();
  };
  return { cycle, encoded: first.encode(realisticSession()) };
}

/** The raw Redis cycle on `key`: GET the value, SET it back with the session's TTL. */
export function rawRedisCycle(redis: Redis, key: string): Operation {
  return async () => {
    const value = await redis.get(key);
    await redis.set(key, value!, "EX", AGE_SECONDS);
  };
}

function redisClient(url: string, closers: Closer[]) {
  const redis = new Redis(url);
  closers.push(() => redis.quit());
  return redis;
}

async function prismaRow(url: string, encoded: string) {
  const database = databaseFor(url);
  const sessionKey = `benchraw${Date.now()}${Math.random().toString(36).slice(2, 10)}`;
  const expireDate = new Date(Date.now() + AGE_SECONDS * 1000);
  await database.session.create({ data: { sessionKey, sessionData: encoded, expireDate } });
  const op: Operation = async () => {
    const row = await database.session.findUnique({ where: { sessionKey } });
    await database.session.update({
      where: { sessionKey },
      data: {
        sessionData: row!.sessionData,
        expireDate: new Date(Date.now() + AGE_SECONDS * 1000),
      },
    });
  };
  return op;
}

function dbCase(label: string, url: (c: BenchContext) => string): BenchCase<BenchContext> {
  return {
    name: `db (${label}) vs Prisma findUnique+update`,
    async prepare(context) {
      const { cycle, encoded } = await libraryCycle("db", { DATABASE_URL: url(context) });
      return { subject: cycle, baseline: await prismaRow(url(context), encoded) };
    },
  };
}

export const ENGINE_CASES: BenchCase<BenchContext>[] = [
  {
    name: "cache (Redis) vs ioredis GET+SET",
    async prepare({ redisUrl }, closers) {
      const { cycle, encoded } = await libraryCycle("cache", { CACHES: { default: redisUrl } });
      const redis = redisClient(redisUrl, closers);
      await redis.set("bench:raw", encoded);
      return { subject: cycle, baseline: rawRedisCycle(redis, "bench:raw") };
    },
  },
  {
    name: "cache (memcached) vs memcached get+set",
    async prepare({ memcachedUrl }, closers) {
      const settings = { CACHES: { default: memcachedUrl } };
      const { cycle, encoded } = await libraryCycle("cache", settings);
      const client = new MemcacheClient({ server: new URL(memcachedUrl).host });
      closers.push(() => client.shutdown());
      await client.set("bench:raw", encoded);
      const baseline = async () => {
        const found = await client.get<string>("bench:raw");
        await client.set("bench:raw", String(found.value), { lifetime: AGE_SECONDS });
      };
      return { subject: cycle, baseline };
    },
  },
  dbCase("SQLite", (c) => c.sqliteUrl),
  dbCase("PostgreSQL", (c) => c.postgresUrl),
  {
    name: "cached_db (SQLite + Redis) vs Redis GET + Prisma update + Redis SET",
    async prepare({ sqliteUrl, redisUrl }, closers) {
      const settings = { DATABASE_URL: sqliteUrl, CACHES: { default: redisUrl } };
      const { cycle, encoded } = await libraryCycle("cached_db", settings);
      const redis = redisClient(redisUrl, closers);
      await redis.set("bench:raw-cached", encoded);
      const database = databaseFor(sqliteUrl);
      const sessionKey = `benchrawcached${Date.now()}`;
      const expireDate = new Date(Date.now() + AGE_SECONDS * 1000);
      await database.session.create({ data: { sessionKey, sessionData: encoded, expireDate } });
      const baseline = async () => {
        const value = (await redis.get("bench:raw-cached"))!;
        await database.session.update({ where: { sessionKey }, data: { sessionData: value } });
        await redis.set("bench:raw-cached", value, "EX", AGE_SECONDS);
      };
      return { subject: cycle, baseline };
    },
  },
  {
    name: "file vs read + atomic write (fsync, rename)",
    async prepare({ fileDir }) {
      const { cycle, encoded } = await libraryCycle("file", { SESSION_FILE_PATH: fileDir });
      const file = path.join(fileDir, "bench-raw");
      await fs.writeFile(file, encoded);
      const baseline = async () => {
        const data = await fs.readFile(file, "ascii");
        const temporary = `${file}.tmp`;
        const handle = await fs.open(temporary, "w", 0o600);
        await handle.writeFile(data, "ascii");
        await handle.sync();
        await handle.close();
        await fs.rename(temporary, file);
      };
      return { subject: cycle, baseline };
    },
  },
];

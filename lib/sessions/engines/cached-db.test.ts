import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Database } from "../../db/client";
import { databaseFor } from "../../db/client";
import type { TestDatabase } from "../../../test/harness/databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "../../../test/harness/databases";
import type { Service } from "../../../test/harness/services";
import { startRedis } from "../../../test/harness/services";
import { startTcpProxy } from "../../../test/harness/tcp-proxy";
import { closeAndDrop } from "../../../test/harness/vitest-databases";
import { cacheFor, closeCaches } from "../caches";
import type { SessionStoreClass } from "../engine";
import { UpdateError } from "../errors";
import { sessionContract, withSettings } from "../testing/contract";
import { captureSessionLog } from "../testing/log-capture";
import { CacheStorage } from "./cache";
import type { ConditionalStorage } from "./cached-db";
import { CACHED_DB_KEY_PREFIX, CachedDbStorage, SessionStore } from "./cached-db";
import { DbStorage } from "./db";

const { redisUrl, redisClusterUrl, memcachedUrl, postgresUrl } = inject("services");

afterAll(() => closeCaches());

/** The engine under a cache key prefix of its own, so that test files sharing a server never meet. */
function isolatedStore() {
  const prefix = `${CACHED_DB_KEY_PREFIX}.test-${randomUUID()}.`;
  class Isolated extends SessionStore {
    protected static override readonly cacheKeyPrefix = prefix;
  }
  return { Store: Isolated, prefix };
}

const backends = [
  { name: "SQLite + Redis", fresh: () => freshSqliteDatabase(), cacheUrl: redisUrl },
  { name: "SQLite + Redis Cluster", fresh: () => freshSqliteDatabase(), cacheUrl: redisClusterUrl },
  {
    name: "PostgreSQL + memcached",
    fresh: () => freshPostgresDatabase(postgresUrl),
    cacheUrl: memcachedUrl,
  },
];

for (const { name, fresh, cacheUrl } of backends) {
  sessionContract(`cached_db (${name})`, "server", async () => {
    const database = await fresh();
    return {
      Store: isolatedStore().Store,
      settings: { DATABASE_URL: database.url, CACHES: { default: cacheUrl } },
      teardown: () => closeAndDrop(database),
    };
  });
}

describe.each(backends)("cached_db ($name)", ({ fresh, cacheUrl }) => {
  const { Store: Isolated, prefix } = isolatedStore();
  let database: TestDatabase;
  let db: Database;
  let Store: SessionStoreClass;
  const cache = () => cacheFor(cacheUrl);

  beforeAll(async () => {
    database = await fresh();
    db = databaseFor(database.url);
    Store = withSettings(Isolated, { DATABASE_URL: database.url, CACHES: { default: cacheUrl } });
  });
  afterAll(() => closeAndDrop(database));

  async function savedSession(data: Record<string, string> = { pet: "Biscuit" }) {
    const session = new Store();
    await session.update(data);
    await session.save();
    return session.sessionKey!;
  }

  it("writes the database row and the cache entry, both signed", async () => {
    const key = await savedSession();
    const row = await db.session.findUnique({ where: { sessionKey: key } });
    const entry = await cache().get(prefix + key);
    expect(entry).toBe(row?.sessionData);
    expect(new Store().decode(entry!)).toEqual({ pet: "Biscuit" });
  });

  it("counts a saved empty session as present", async () => {
    const session = new Store();
    await session.save();
    expect(await session.exists(session.sessionKey!)).toBe(true);
  });

  it("answers reads from the cache", async () => {
    const key = await savedSession();
    // Only the cache has it now: what loads must have come from there.
    await db.session.delete({ where: { sessionKey: key } });
    expect(await new Store(key).get("pet")).toBe("Biscuit");
  });

  it("reads the database on a cache miss, and caches the row for the rest of its life", async () => {
    const key = await savedSession();
    await cache().delete(prefix + key);
    expect(await new Store(key).get("pet")).toBe("Biscuit");
    expect(await cache().has(prefix + key)).toBe(true);
  });

  it("finds a session the cache lost", async () => {
    const key = await savedSession();
    await cache().delete(prefix + key);
    expect(await new Store().exists(key)).toBe(true);
  });

  it("drops the cache entry when a save finds the row gone, so it is never served again", async () => {
    const key = await savedSession();
    const session = new Store(key);
    await session.set("pet", "Rex");
    await db.session.delete({ where: { sessionKey: key } });
    await expect(session.save()).rejects.toThrow(UpdateError);
    expect(await cache().has(prefix + key)).toBe(false);
    expect(await new Store(key).get("pet")).toBeUndefined();
  });

  it("destroy removes the row and the cache entry", async () => {
    const key = await savedSession();
    await new Store().destroy(key);
    expect(await db.session.count({ where: { sessionKey: key } })).toBe(0);
    expect(await cache().has(prefix + key)).toBe(false);
  });

  describe("a logout running between two steps of another request never resurrects the session", () => {
    /** The storage, with a logout (database, then cache) injected right after one database step. */
    function storageWithLogoutAfter(step: "read" | "update" | "swap") {
      const real = new DbStorage(db);
      const cacheStorage = new CacheStorage(cache(), prefix);
      const logout = (key: string) => new CachedDbStorage(real, cacheStorage).remove(key);
      const racing: ConditionalStorage = {
        read: async (key) => {
          const record = await real.read(key);
          if (step === "read") await logout(key);
          return record;
        },
        update: async (key, record, ttl) => {
          const updated = await real.update(key, record, ttl);
          if (step === "update") await logout(key);
          return updated;
        },
        swap: async (key, expected, record) => {
          const result = await real.swap(key, expected, record);
          if (step === "swap") await logout(key);
          return result;
        },
        insert: (key, record, ttl) => real.insert(key, record, ttl),
        remove: (key) => real.remove(key),
        removeIf: (key, expected) => real.removeIf(key, expected),
        exists: (key) => real.exists(key),
        clearExpired: (judge) => real.clearExpired(judge),
      };
      return new CachedDbStorage(racing, cacheStorage);
    }

    it("a read that missed the cache does not cache a row deleted meanwhile", async () => {
      const key = await savedSession();
      await cache().delete(prefix + key);
      await storageWithLogoutAfter("read").read(key);
      expect(await cache().has(prefix + key)).toBe(false);
    });

    it("a save whose database write landed before the logout does not re-create the cache entry", async () => {
      const key = await savedSession();
      const record = (await new DbStorage(db).read(key))!;
      await storageWithLogoutAfter("update").update(key, record, 60);
      expect(await cache().has(prefix + key)).toBe(false);
      expect(await new Store(key).get("pet")).toBeUndefined();
    });

    it("a conditional save that landed before the logout does not re-create the cache entry", async () => {
      const key = await savedSession();
      const record = (await new DbStorage(db).read(key))!;
      const changed = { ...record, data: new Store().encode({ pet: "Rex" }) };
      expect(await storageWithLogoutAfter("swap").swap(key, record, changed, 60)).toBe("saved");
      expect(await cache().has(prefix + key)).toBe(false);
      expect(await new Store(key).get("pet")).toBeUndefined();
    });
  });
});

describe("cached_db (SQLite + Redis) expiry", () => {
  const { Store: Isolated, prefix } = isolatedStore();
  let database: TestDatabase;
  let Store: SessionStoreClass;
  const redis = new Redis(redisUrl);

  beforeAll(async () => {
    database = await freshSqliteDatabase();
    Store = withSettings(Isolated, { DATABASE_URL: database.url, CACHES: { default: redisUrl } });
  });
  afterAll(async () => {
    await redis.quit();
    await closeAndDrop(database);
  });

  it("refills the cache with the row's remaining lifetime", async () => {
    const session = new Store();
    await session.set("pet", "Biscuit");
    await session.setExpiry(300);
    await session.save();
    const key = session.sessionKey!;
    expect([299, 300]).toContain(await redis.ttl(prefix + key));
    await redis.del(prefix + key);
    await new Store(key).load();
    expect([299, 300]).toContain(await redis.ttl(prefix + key));
  });

  it("does not cache a session that has already expired", async () => {
    const session = new Store();
    await session.set("pet", "Biscuit");
    await session.setExpiry({ seconds: -10 });
    await session.save();
    const key = session.sessionKey!;
    expect(await new Store(key).load()).toEqual({});
    expect(await redis.exists(prefix + key)).toBe(0);
  });
});

describe("cached_db while the cache is down", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshSqliteDatabase();
  });
  afterAll(() => closeAndDrop(database));

  it("loads and saves from the database, logs without the key, and uses the cache again once it is back", async () => {
    const service = await startRedis();
    const port = Number(new URL(service.url).port);
    const { Store: Isolated, prefix } = isolatedStore();
    const Store = withSettings(Isolated, {
      DATABASE_URL: database.url,
      CACHES: { default: service.url },
    });
    const log = captureSessionLog();
    let revived: Service | undefined;
    try {
      const session = new Store();
      await session.set("pet", "Biscuit");
      await session.save();
      const key = session.sessionKey!;
      await service.stop();

      const reopened = new Store(key);
      expect(await reopened.get("pet")).toBe("Biscuit");
      await reopened.set("pet", "Rex");
      await reopened.save();
      expect(await new Store(key).get("pet")).toBe("Rex");
      const created = new Store();
      await created.set("pet", "Mittens");
      await created.save();
      expect(await new Store(created.sessionKey).get("pet")).toBe("Mittens");

      expect(log.lines().length).toBeGreaterThan(0);
      for (const line of log.lines()) {
        expect(line).toMatch(
          /^sessions: cached_db could not \w+ the cache entry; the database answered/,
        );
        expect(line).not.toContain(key);
        expect(line).not.toContain(created.sessionKey!);
      }

      revived = await startRedis({ port });
      await vi.waitFor(
        async () => {
          expect(await new Store(key).get("pet")).toBe("Rex");
          expect(await cacheFor(service.url).has(prefix + key)).toBe(true);
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      log.restore();
      await service.stop();
      await revived?.stop();
      await cacheFor(service.url).close();
    }
  });
});

describe("cached_db after a network partition from the cache", () => {
  it("never serves an entry older than the database once the cache is reachable again", async () => {
    const database = await freshSqliteDatabase();
    const redis = await startRedis();
    // The cache keeps its data; only the network between us and it is cut.
    const proxy = await startTcpProxy(redis.url);
    const { Store: Isolated, prefix } = isolatedStore();
    const Store = withSettings(Isolated, {
      DATABASE_URL: database.url,
      CACHES: { default: proxy.url },
    });
    const log = captureSessionLog();
    try {
      const session = new Store();
      await session.set("pet", "Biscuit");
      await session.save();
      const key = session.sessionKey!;
      expect(await new Store(key).get("pet")).toBe("Biscuit");

      proxy.cut();
      const during = new Store(key);
      await during.set("pet", "Rex");
      await during.save(); // the database has Rex; the cache could not be told
      proxy.heal();

      await vi.waitFor(
        async () => {
          const reader = new Store(key);
          expect(await reader.get("pet")).toBe("Rex");
          // The cache is used again, with the database's value.
          expect(await cacheFor(proxy.url).get(prefix + key)).not.toBeNull();
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      log.restore();
      await cacheFor(proxy.url).close();
      await proxy.close();
      await redis.stop();
      await closeAndDrop(database);
    }
  });
});

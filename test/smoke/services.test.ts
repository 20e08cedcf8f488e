import { Redis } from "ioredis";
import { MemcacheClient } from "memcache-client";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import type { TestDatabase } from "../harness/databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "../harness/databases";

const services = inject("services");

describe("the throwaway services answer", () => {
  it("Redis stores and returns a value", async () => {
    const redis = new Redis(services.redisUrl);
    try {
      await redis.set("smoke:greeting", "hello, Biscuit", "EX", 60);
      expect(await redis.get("smoke:greeting")).toBe("hello, Biscuit");
    } finally {
      redis.disconnect();
    }
  });

  it("memcached stores and returns a value", async () => {
    const memcached = new MemcacheClient({ server: new URL(services.memcachedUrl).host });
    try {
      await memcached.set("smoke:greeting", "hello, Biscuit", { lifetime: 60 });
      const found = await memcached.get<string>("smoke:greeting");
      expect(found?.value).toBe("hello, Biscuit");
    } finally {
      memcached.shutdown();
    }
  });
});

describe.each([
  ["SQLite", () => freshSqliteDatabase()],
  ["PostgreSQL", () => freshPostgresDatabase(services.postgresUrl)],
])("Prisma on %s", (_name, fresh) => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
  });

  it("round-trips a row of the django_session table", async () => {
    database = await fresh();
    const db = openDatabase(database.url);
    try {
      const expireDate = new Date("2031-05-04T12:30:45.123Z");
      await db.session.create({
        data: {
          sessionKey: "smoke0123456789abcdefghijklmnopq",
          sessionData: "e30:signed",
          expireDate,
        },
      });
      const row = await db.session.findUnique({
        where: { sessionKey: "smoke0123456789abcdefghijklmnopq" },
      });
      expect(row).toEqual({
        sessionKey: "smoke0123456789abcdefghijklmnopq",
        sessionData: "e30:signed",
        expireDate,
      });
      await db.session.delete({ where: { sessionKey: "smoke0123456789abcdefghijklmnopq" } });
      expect(await db.session.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});

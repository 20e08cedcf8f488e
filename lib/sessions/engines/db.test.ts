import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { databaseFor } from "../../db/client";
import { databaseProvider } from "../../db/url";
import type { TestDatabase } from "../../../test/harness/databases";
import { freshSqliteDatabase } from "../../../test/harness/databases";
import { freePort } from "../../../test/harness/processes";
import { closeAndDrop, databaseBackends } from "../../../test/harness/vitest-databases";
import type { SessionStoreClass } from "../engine";
import { StorageError } from "../errors";
import type { ExpiryJudge } from "../stored";
import { sessionContract, withSettings } from "../testing/contract";
import { DbStorage, SessionStore } from "./db";

for (const { name, fresh } of databaseBackends) {
  sessionContract(`db (${name})`, "server", async () => {
    const database = await fresh();
    return {
      Store: SessionStore,
      settings: { DATABASE_URL: database.url },
      teardown: () => closeAndDrop(database),
    };
  });
}

/** A judge for calling a storage's clearExpired directly. */
function judgeAt(now: Date, progress: number[] = []): ExpiryJudge {
  return {
    now,
    expireDateOf: async () => {
      throw new Error("db rows carry their expiry date");
    },
    onProgress: (removed) => progress.push(removed),
  };
}

describe.each(databaseBackends)("db ($name)", ({ fresh }) => {
  let database: TestDatabase;
  let client: Database;
  let Store: SessionStoreClass;

  beforeAll(async () => {
    database = await fresh();
    client = databaseFor(database.url);
    Store = withSettings(SessionStore, { DATABASE_URL: database.url });
  });
  afterAll(() => closeAndDrop(database));

  /** The instant in `expire_date`, read by the database itself rather than by Prisma. */
  async function storedExpiryMs(key: string): Promise<number> {
    const rows =
      databaseProvider(database.url) === "sqlite"
        ? await client.$queryRaw<{ ms: number | bigint }[]>`
            SELECT CAST(round((julianday(expire_date) - 2440587.5) * 86400000) AS INTEGER) AS ms
            FROM django_session WHERE session_key = ${key}`
        : await client.$queryRaw<{ ms: number | bigint }[]>`
            SELECT CAST(round(EXTRACT(EPOCH FROM expire_date) * 1000) AS BIGINT) AS ms
            FROM django_session WHERE session_key = ${key}`;
    expect(rows).toHaveLength(1);
    return Number(rows[0]!.ms);
  }

  it("keeps each session as a row of Django's django_session table", async () => {
    const session = new Store();
    await session.set("pet", "Biscuit");
    await session.save();
    const rows = await client.$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM django_session WHERE session_key = ${session.sessionKey}`;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(["expire_date", "session_data", "session_key"]);
    expect(row.session_key).toBe(session.sessionKey);
    expect(session.decode(row.session_data as string)).toEqual({ pet: "Biscuit" });
  });

  it.each([
    ["an absolute date", new Date("2031-05-06T07:08:09.123Z")],
    ["a duration", { seconds: 600 }],
  ])(
    "stores the session's getExpiryDate() in expire_date, to the millisecond (%s)",
    async (_, expiry) => {
      const session = new Store();
      await session.setExpiry(expiry);
      await session.set("x", 1);
      await session.save();
      const expected = (await session.getExpiryDate()).getTime();
      expect(await storedExpiryMs(session.sessionKey!)).toBe(expected);
      const record = await new DbStorage(client).read(session.sessionKey!);
      expect(record?.expireDate?.getTime()).toBe(expected);
    },
  );

  it("the conditional save of a loaded session stores data and expiry as the first save does", async () => {
    const first = new Store();
    await first.set("x", 1);
    await first.save();
    const session = new Store(first.sessionKey);
    await session.set("x", 2);
    await session.setExpiry(new Date("2032-01-02T03:04:05.678Z"));
    await session.save();
    expect(await storedExpiryMs(session.sessionKey!)).toBe(Date.parse("2032-01-02T03:04:05.678Z"));
    const [row] = await client.$queryRaw<{ data: string; expiry: string }[]>`
      SELECT session_data AS data, CAST(expire_date AS TEXT) AS expiry
      FROM django_session WHERE session_key = ${session.sessionKey}`;
    expect(session.decode(row!.data)).toMatchObject({ x: 2 });
    // SQLite keeps text: Django's own form, which its date comparisons rely on.
    if (databaseProvider(database.url) === "sqlite")
      expect(row!.expiry).toBe("2032-01-02 03:04:05.678000");
  });

  it("clearExpired deletes expired rows in batches, reporting a growing total, and keeps live rows", async () => {
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    const row = (prefix: string, i: number, expireDate: Date) => ({
      sessionKey: `${prefix}${String(i).padStart(8, "0")}`,
      sessionData: "x",
      expireDate,
    });
    await client.session.createMany({
      data: Array.from({ length: 2500 }, (_, i) => row("batchexpired", i, past)),
    });
    await client.session.createMany({
      data: Array.from({ length: 3 }, (_, i) => row("batchlive", i, future)),
    });

    const progress: number[] = [];
    const storage = new DbStorage(client, { clearExpiredBatchSize: 1000 });
    const removed = await storage.clearExpired(judgeAt(new Date(), progress));

    expect(removed).toBeGreaterThanOrEqual(2500); // other tests' expired rows may go too
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every((total, i) => i === 0 || total > progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(removed);
    expect(
      await client.session.count({ where: { sessionKey: { startsWith: "batchexpired" } } }),
    ).toBe(0);
    expect(await client.session.count({ where: { sessionKey: { startsWith: "batchlive" } } })).toBe(
      3,
    );
  });

  it("clearExpired with nothing expired removes nothing and reports no batch", async () => {
    const now = new Date();
    await new DbStorage(client).clearExpired(judgeAt(now));
    const progress: number[] = [];
    expect(await new DbStorage(client).clearExpired(judgeAt(now, progress))).toBe(0);
    expect(progress).toEqual([]);
  });

  it("insert never overwrites a row, and update never creates one", async () => {
    const storage = new DbStorage(client);
    const expireDate = new Date(Date.now() + 60_000);
    expect(await storage.insert("storagefirst0001", { data: "first", expireDate }, 60)).toBe(true);
    expect(await storage.insert("storagefirst0001", { data: "second", expireDate }, 60)).toBe(
      false,
    );
    expect((await storage.read("storagefirst0001"))?.data).toBe("first");
    expect(await storage.update("storagemissing01", { data: "ghost", expireDate }, 60)).toBe(false);
    expect(await storage.exists("storagemissing01")).toBe(false);
  });

  it("refuses a batch size that is not a positive integer", () => {
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(() => new DbStorage(client, { clearExpiredBatchSize: size })).toThrow(
        /clearExpiredBatchSize/,
      );
    }
  });
});

describe("db (SQLite): datetimes a Django app wrote", () => {
  let database: TestDatabase;
  let client: Database;

  beforeAll(async () => {
    database = await freshSqliteDatabase();
    client = databaseFor(database.url);
  });
  afterAll(() => closeAndDrop(database));

  /** Django's SQLite backend (USE_TZ=True) stores `str()` of the naive UTC datetime. */
  const djangoText = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "000");

  async function insertAsDjango(key: string, data: string, expireText: string) {
    await client.$executeRaw`INSERT INTO django_session (session_key, session_data, expire_date)
      VALUES (${key}, ${data}, ${expireText})`;
  }

  it("reads Django's naive UTC text as UTC, whatever the process time zone", async () => {
    await insertAsDjango("djangotextutc001", "x", "2026-11-23 18:00:00.123456");
    await insertAsDjango("djangotextutc002", "x", "2026-11-23 18:00:00");
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
    try {
      const storage = new DbStorage(client);
      expect((await storage.read("djangotextutc001"))?.expireDate).toEqual(
        new Date("2026-11-23T18:00:00.123Z"),
      );
      expect((await storage.read("djangotextutc002"))?.expireDate).toEqual(
        new Date("2026-11-23T18:00:00Z"),
      );
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
    }
  });

  it("loads a session Django wrote", async () => {
    const Store = withSettings(SessionStore, { DATABASE_URL: database.url });
    const writer = new Store();
    await insertAsDjango(
      "djangowrittenses01",
      writer.encode({ pet: "Biscuit" }),
      djangoText(new Date(Date.now() + 3_600_000)),
    );
    expect(await new Store("djangowrittenses01").get("pet")).toBe("Biscuit");
  });

  // Known gap, to be closed in lib/db/client.ts: the libsql adapter writes
  // `2026-11-23T11:00:00.000+00:00` where Django writes `2026-11-23 11:00:00`,
  // and SQLite compares them as text (' ' < 'T'). Within one UTC day, our
  // clearExpired deletes Django's live rows and Django loads our expired ones.
  // These expectations hold once the adapter writes Django's format; remove
  // `.fails` then.
  it("clearExpired keeps a Django-written row that expires later the same day", async () => {
    await insertAsDjango("djangolatertoday1", "x", "2026-11-23 18:00:00.123456");
    await new DbStorage(client).clearExpired(judgeAt(new Date("2026-11-23T12:00:00Z")));
    expect(await new DbStorage(client).exists("djangolatertoday1")).toBe(true);
  });

  it("Django's expiry filter sees our row expired earlier the same day as expired", async () => {
    const storage = new DbStorage(client);
    await storage.insert(
      "oursearliertoday1",
      { data: "x", expireDate: new Date("2026-11-23T11:00:00Z") },
      0,
    );
    // The SQL Django runs for `expire_date__gt=now`, with `now` as Django renders it.
    const live = await client.$queryRaw<{ session_key: string }[]>`
      SELECT session_key FROM django_session
      WHERE session_key = 'oursearliertoday1' AND expire_date > '2026-11-23 12:00:00'`;
    expect(live).toEqual([]);
  });
});

describe("db: a database that cannot be reached", () => {
  const urls: string[] = [];

  afterAll(async () => {
    await Promise.all(urls.map((url) => databaseFor(url).$disconnect()));
  });

  it.each([
    [
      "PostgreSQL on a closed port",
      async () => `postgres://nobody@127.0.0.1:${await freePort()}/nothing`,
    ],
    ["SQLite in a missing directory", async () => "file:/nonexistent-evermore-dir/sessions.db"],
  ])("%s: load and save reject with StorageError, never an empty session", async (_, makeUrl) => {
    const url = await makeUrl();
    urls.push(url);
    const Store = withSettings(SessionStore, { DATABASE_URL: url });

    const existing = new Store("abcdefgh12345678abcdefgh12345678");
    await expect(existing.get("pet")).rejects.toThrow(StorageError);
    await expect(existing.get("pet")).rejects.toThrow(/DATABASE_URL/);

    const fresh = new Store();
    await fresh.set("pet", "Biscuit");
    await expect(fresh.save()).rejects.toThrow(StorageError);
    await expect(Store.clearExpired()).rejects.toThrow(StorageError);
  });
});

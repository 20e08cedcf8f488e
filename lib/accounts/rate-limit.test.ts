import { describe, expect, it } from "vitest";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import {
  bucketsFor,
  forgetFailures,
  MAX_PER_EMAIL,
  minutesUntilAllowed,
  recordFailure,
  tooManyAttemptsMessage,
} from "./rate-limit";

const minutes = (n: number) => n * 60_000;

describe.each(databaseBackends)("login rate limits ($name)", ({ fresh }) => {
  const db = useFreshDatabase(fresh);

  it("allows 5 failures per email, then asks to wait until the oldest leaves the 15-minute window", async () => {
    const buckets = bucketsFor("Ada@Example.com", "10.0.0.1");
    const start = Date.now();
    for (let i = 0; i < MAX_PER_EMAIL; i++) {
      expect(await minutesUntilAllowed(db.client, buckets, new Date(start + minutes(i)))).toBe(0);
      await recordFailure(db.client, buckets, new Date(start + minutes(i)));
    }
    expect(await minutesUntilAllowed(db.client, buckets, new Date(start + minutes(5)))).toBe(10);
    expect(await minutesUntilAllowed(db.client, buckets, new Date(start + minutes(14.5)))).toBe(1);
    expect(await minutesUntilAllowed(db.client, buckets, new Date(start + minutes(15)))).toBe(0);
  });

  it("counts the same email in any letter case, and not other emails from another address", async () => {
    expect(
      await minutesUntilAllowed(db.client, bucketsFor("ADA@example.com", null)),
    ).toBeGreaterThan(0);
    expect(await minutesUntilAllowed(db.client, bucketsFor("bob@example.com", "10.0.0.2"))).toBe(0);
  });

  it("limits one address trying many emails", async () => {
    const now = new Date();
    await db.client.loginAttempt.createMany({
      data: Array.from({ length: 100 }, () => ({ bucket: "ip:10.9.9.9", createdAt: now })),
    });
    expect(
      await minutesUntilAllowed(db.client, bucketsFor("new@example.com", "10.9.9.9"), now),
    ).toBe(15);
    expect(
      await minutesUntilAllowed(db.client, bucketsFor("new@example.com", "10.9.9.8"), now),
    ).toBe(0);
  });

  it("a trusted device counts against its own bucket alone, never its address's or the email's", async () => {
    const now = new Date();
    await db.client.loginAttempt.createMany({
      data: Array.from({ length: 100 }, () => ({ bucket: "ip:10.7.7.7", createdAt: now })),
    });
    expect(
      await minutesUntilAllowed(db.client, bucketsFor("owner@example.com", "10.7.7.7"), now),
    ).toBe(15);
    const trusted = bucketsFor("owner@example.com", "10.7.7.7", "device-1");
    expect(trusted).toEqual([{ key: "device:device-1", max: 5 }]);
    expect(await minutesUntilAllowed(db.client, trusted, now)).toBe(0);
    await recordFailure(db.client, trusted, now);
    expect(
      await db.client.loginAttempt.count({ where: { bucket: "email:owner@example.com" } }),
    ).toBe(0);
  });

  it.each([
    ["null", null],
    ["empty", ""],
    ["blank", "   "],
  ])(
    "an address that cannot be told (%s) still counts, in the one shared bucket",
    async (_, ip) => {
      const [, address] = bucketsFor("someone@example.com", ip);
      expect(address).toEqual({ key: "ip:unknown", max: 100 });
    },
  );

  it("a successful login clears the email's failures", async () => {
    const buckets = bucketsFor("carol@example.com", null);
    for (let i = 0; i < MAX_PER_EMAIL; i++) await recordFailure(db.client, buckets);
    expect(await minutesUntilAllowed(db.client, buckets)).toBe(15);
    await forgetFailures(db.client, "Carol@example.com");
    expect(await minutesUntilAllowed(db.client, buckets)).toBe(0);
  });

  it("an address too long for the column is still limited, and apart from other long addresses", async () => {
    const one = `10.0.0.${"1".repeat(1000)}`;
    const other = `10.0.0.${"2".repeat(1000)}`;
    const [, oneBucket] = bucketsFor("a@example.com", one);
    const [, otherBucket] = bucketsFor("a@example.com", other);
    expect(oneBucket!.key.length).toBeLessThanOrEqual(320);
    expect(oneBucket!.key).not.toBe(otherBucket!.key);
    expect(bucketsFor("b@example.com", one)[1]).toEqual(oneBucket);

    await recordFailure(db.client, bucketsFor("long@example.com", one));
    const now = new Date();
    await db.client.loginAttempt.createMany({
      data: Array.from({ length: 99 }, () => ({ bucket: oneBucket!.key, createdAt: now })),
    });
    expect(await minutesUntilAllowed(db.client, bucketsFor("c@example.com", one), now)).toBe(15);
    expect(await minutesUntilAllowed(db.client, bucketsFor("c@example.com", other), now)).toBe(0);
  });

  it("drops old failures through an index on their time, not a scan of the table", async () => {
    const sqlite = db.database.url.startsWith("file:");
    // On SQLite the plan of the delete's lookup: libsql keeps an explained DELETE open, and the
    // next transaction on the connection then fails with SQLITE_BUSY.
    const explain = sqlite
      ? `EXPLAIN QUERY PLAN SELECT id FROM accounts_login_attempt WHERE created_at < ?`
      : `EXPLAIN DELETE FROM accounts_login_attempt WHERE created_at < $1`;
    const plan = sqlite
      ? await db.client.$queryRawUnsafe<unknown[]>(explain, new Date())
      : await db.client.$transaction(async (tx) => {
          // PostgreSQL scans a small table whatever its indexes: ask which index it would use.
          await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
          return tx.$queryRawUnsafe<unknown[]>(explain, new Date());
        });
    expect(JSON.stringify(plan)).toContain("accounts_login_attempt_created_at_idx");
  });

  it("recording a failure drops failures older than the window", async () => {
    const old = new Date(Date.now() - minutes(60));
    await db.client.loginAttempt.create({
      data: { bucket: "email:old@example.com", createdAt: old },
    });
    await recordFailure(db.client, bucketsFor("someone@example.com", null));
    expect(await db.client.loginAttempt.count({ where: { bucket: "email:old@example.com" } })).toBe(
      0,
    );
  });
});

describe("the rate limit message", () => {
  it("says how long to wait, in words", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts. Please try again in 1 minute.");
    expect(tooManyAttemptsMessage(15)).toBe("Too many attempts. Please try again in 15 minutes.");
  });
});

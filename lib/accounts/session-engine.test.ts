import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { databaseFor } from "../db/client";
import type { SessionStoreClass } from "../sessions";
import { sessionContract, withSettings } from "../sessions/testing/contract";
import type { TestDatabase } from "../../test/harness/databases";
import { closeAndDrop, databaseBackends } from "../../test/harness/vitest-databases";
import { AccountSessionStorage, SessionStore } from "./session-engine";
import { DEVICE_KEY, USER_ID_KEY } from "./session-keys";

for (const { name, fresh } of databaseBackends) {
  sessionContract(`accounts (${name})`, "server", async () => {
    const database = await fresh();
    return {
      Store: SessionStore,
      settings: { DATABASE_URL: database.url },
      teardown: () => closeAndDrop(database),
    };
  });
}

describe.each(databaseBackends)("accounts engine ($name)", ({ fresh }) => {
  let database: TestDatabase;
  let client: Database;
  let Store: SessionStoreClass;

  beforeAll(async () => {
    database = await fresh();
    client = databaseFor(database.url);
    Store = withSettings(SessionStore, { DATABASE_URL: database.url });
  });
  afterAll(() => closeAndDrop(database));

  it("clearExpired deletes expired rows in batches, reporting a growing total, and keeps live rows", async () => {
    const now = new Date();
    const row = (key: string, expireDate: Date) => ({
      sessionKey: key,
      sessionData: "x",
      expireDate,
      lastSeen: now,
    });
    await client.accountSession.deleteMany({ where: { expireDate: { lt: now } } });
    await client.accountSession.createMany({
      data: [
        ...Array.from({ length: 5 }, (_, i) => row(`acctexpired${i}`, new Date(0))),
        row("acctlive0", new Date(now.getTime() + 3_600_000)),
      ],
    });
    const storage = new AccountSessionStorage(client, () => ({}), 2);
    const progress: number[] = [];
    const removed = await storage.clearExpired({
      now,
      expireDateOf: async (record) => record.expireDate!,
      onProgress: (total) => progress.push(total),
    });
    expect(removed).toBe(5);
    expect(progress).toEqual([2, 4, 5]);
    expect(await client.accountSession.count({ where: { sessionKey: "acctlive0" } })).toBe(1);
  });

  it("records the account and the device a session names, and forgets them on logout", async () => {
    const user = await client.user.create({
      data: { email: "ada@example.com", passwordHash: "x" },
    });
    const session = new Store();
    await session.set(USER_ID_KEY, String(user.id));
    await session.set(DEVICE_KEY, "Firefox on Linux");
    await session.save();

    const row = await client.accountSession.findUnique({
      where: { sessionKey: session.sessionKey! },
    });
    expect(row).toMatchObject({ userId: user.id, device: "Firefox on Linux" });

    await session.delete(USER_ID_KEY);
    await session.save();
    const after = await client.accountSession.findUnique({
      where: { sessionKey: session.sessionKey! },
    });
    expect(after?.userId).toBeNull();
  });

  it("leaves the account empty for an anonymous session or an id that is not a number", async () => {
    const anonymous = new Store();
    await anonymous.set("visitorName", "Ada");
    await anonymous.save();
    const odd = new Store();
    await odd.set(USER_ID_KEY, "not-a-number");
    await odd.save();
    const rows = await client.accountSession.findMany({
      where: { sessionKey: { in: [anonymous.sessionKey!, odd.sessionKey!] } },
    });
    expect(rows.map((row) => row.userId)).toEqual([null, null]);
  });

  it("deleting an account deletes its sessions", async () => {
    const user = await client.user.create({
      data: { email: "gone@example.com", passwordHash: "x" },
    });
    const session = new Store();
    await session.set(USER_ID_KEY, String(user.id));
    await session.save();
    await client.user.delete({ where: { id: user.id } });
    expect(await new Store(session.sessionKey).get(USER_ID_KEY)).toBeUndefined();
  });
});

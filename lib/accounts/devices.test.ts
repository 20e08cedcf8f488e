import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { databaseFor } from "../db/client";
import { drafts } from "../memorials/drafts";
import type { SessionStoreClass } from "../sessions";
import { withSettings } from "../sessions/testing/contract";
import { draft } from "../../test/harness/accounts";
import type { TestDatabase } from "../../test/harness/databases";
import { closeAndDrop, databaseBackends } from "../../test/harness/vitest-databases";
import { deviceLabel } from "./device-label";
import { listDevices, logOutOtherDevices } from "./devices";
import { logIn, userOf } from "./login";
import { SessionStore } from "./session-engine";

describe.each(databaseBackends)(
  "an account's devices on the accounts engine ($name)",
  ({ fresh }) => {
    let database: TestDatabase;
    let client: Database;
    let Store: SessionStoreClass;

    beforeAll(async () => {
      database = await fresh();
      client = databaseFor(database.url);
      Store = withSettings(SessionStore, { DATABASE_URL: database.url });
    });
    afterAll(() => closeAndDrop(database));

    async function loggedIn(device: string) {
      const user = await client.user.upsert({
        where: { email: "devices@example.com" },
        create: { email: "devices@example.com", passwordHash: "x" },
        update: {},
      });
      const session = new Store();
      await logIn(client, session, user, device);
      await session.save();
      return session;
    }

    it("lists each logged-in browser, marks this one, and never shows a session key", async () => {
      const laptop = await loggedIn("Firefox on Linux");
      const phone = await loggedIn("Safari on iOS");
      const user = (await userOf(client, laptop))!;
      const devices = await listDevices(client, user.id, laptop.sessionKey);
      expect(devices.map((device) => [device.device, device.current]).sort()).toEqual([
        ["Firefox on Linux", true],
        ["Safari on iOS", false],
      ]);
      const shown = JSON.stringify(devices);
      expect(shown).not.toContain(laptop.sessionKey!);
      expect(shown).not.toContain(phone.sessionKey!);
    });

    it("logging out the others deletes their rows and keeps this one", async () => {
      const here = await loggedIn("Chrome on Windows");
      const user = (await userOf(client, here))!;
      await logOutOtherDevices(client, here, user);
      await here.save();
      const devices = await listDevices(client, user.id, here.sessionKey);
      expect(devices).toEqual([
        expect.objectContaining({ device: "Chrome on Windows", current: true }),
      ]);
      expect(await client.accountSession.count({ where: { userId: user.id } })).toBe(1);
    });

    it("the drafts begun on the devices logged out go into the account first", async () => {
      const phone = await loggedIn("Safari on iOS");
      await drafts.write(phone, [draft("draftphone1", "Begun on the phone")]);
      await phone.save();
      const here = await loggedIn("Firefox on Linux");
      const user = (await userOf(client, here))!;
      await logOutOtherDevices(client, here, user);
      const carried = await client.memorial.findMany({ where: { draftId: "draftphone1" } });
      expect(carried.map((memorial) => [memorial.ownerId, memorial.name])).toEqual([
        [user.id, "Begun on the phone"],
      ]);
      expect(await new Store(phone.sessionKey).keys()).toEqual([]);
    });
  },
);

describe("device labels", () => {
  it.each([
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
      "Chrome on Linux",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Safari/604.1",
      "Safari on iOS",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0 Safari/537.36 Edg/140.0",
      "Edge on Windows",
    ],
    ["curl/8.0", "A browser"],
    [null, "Unknown device"],
  ])("%s → %s", (userAgent, label) => {
    expect(deviceLabel(userAgent)).toBe(label);
  });
});

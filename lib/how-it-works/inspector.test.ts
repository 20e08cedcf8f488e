import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { logOutOtherDevices } from "@/lib/accounts/devices";
import { logInWithPassword, signUp } from "@/lib/accounts/flows";
import { loginWentStale, userOf } from "@/lib/accounts/login";
import { drafts } from "@/lib/memorials/drafts";
import { SessionStore as DbSessionStore } from "@/lib/sessions/engines/db";
import { SessionStore } from "@/lib/sessions/engines/file";
import { withSettings } from "@/lib/sessions/testing/contract";
import { settings } from "@/lib/settings";
import { draft } from "../../test/harness/accounts";
import { freshSqliteDatabase } from "../../test/harness/databases";
import { useFreshDatabase } from "../../test/harness/vitest-databases";
import { inspectSession } from "./inspector";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-inspector-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const Files = withSettings(SessionStore, { SESSION_FILE_PATH: dir });

async function stored() {
  const session = new Files();
  await session.update({ visitorName: "Ada", _auth_user_id: "42" });
  await session.setExpiry(3600);
  await session.save();
  return session.sessionKey!;
}

describe("inspectSession", () => {
  it("reads without modifying, and shows a masked key and masked _auth values", async () => {
    const key = await stored();
    const seen = await inspectSession(new Files(key), settings());
    expect(seen.flagsBefore).toEqual({ accessed: false, modified: false });
    expect(seen.flagsAfter).toEqual({ accessed: true, modified: false });
    expect(seen.key).toBe(`${key.slice(0, 4)}…${key.slice(-4)}`);
    expect(seen.valueCount).toBe(3);
    expect(seen.data).toContain('"visitorName": "Ada"');
    expect(seen.data).not.toContain('"42"');
    expect(JSON.stringify(seen)).not.toContain(key);
  });

  it("reports the session's own expiry", async () => {
    const seen = await inspectSession(new Files(await stored()), settings());
    expect(seen.expiryAge).toBe(3600);
    expect(seen.expireAtBrowserClose).toBe(false);
    expect(Math.abs(seen.expiryDate.getTime() - Date.now() - 3_600_000)).toBeLessThan(5000);
  });

  it("treats an unknown key as no key and an empty session", async () => {
    const seen = await inspectSession(new Files("unknownkey0000000000000000000000"), settings());
    expect(seen.key).toBe("none");
    expect(seen.valueCount).toBe(0);
    expect(seen.data).toBe("{}");
  });
});

describe("inspectSession on a login that went stale", () => {
  const db = useFreshDatabase(freshSqliteDatabase);

  it("hides every value from whoever uses a device its account logged out", async () => {
    const Store = withSettings(DbSessionStore, { DATABASE_URL: db.database.url });
    const credentials = { email: "owner@example.com", password: "correct horse battery" };
    const attempt = { ...credentials, ip: "127.0.0.1", device: "Chromium" };
    const here = new Store();
    const there = new Store();
    expect(await signUp(db.client, new Store(), attempt)).toBeNull();
    expect(await logInWithPassword(db.client, here, attempt)).toBeNull();
    expect(await logInWithPassword(db.client, there, attempt)).toBeNull();
    await drafts.write(there, [draft("draftsecret", "Whiskers")]);
    await Promise.all([here.save(), there.save()]);
    await logOutOtherDevices(db.client, here, (await userOf(db.client, here))!);
    await here.save();

    const next = new Store(there.sessionKey);
    const seen = await inspectSession(next, settings(), () => loginWentStale(db.client, next));

    expect(seen.data).not.toContain("Whiskers");
    expect(seen.data).not.toContain("Ran into every wave.");
    expect(seen.staleLogin).toBe(true);
    expect(seen.data).toContain('"drafts": "•••• (hidden)"');
    expect(seen.flagsBefore).toEqual({ accessed: false, modified: false });
    expect(seen.flagsAfter).toEqual({ accessed: true, modified: false });

    // The owner's own session, still current, shows its values.
    const own = new Store(here.sessionKey);
    await drafts.write(own, [draft("draftmine00", "Pip")]);
    await own.save();
    const mine = await inspectSession(new Store(here.sessionKey), settings(), () =>
      loginWentStale(db.client, own),
    );
    expect(mine.staleLogin).toBe(false);
    expect(mine.data).toContain("Pip");
  });
});

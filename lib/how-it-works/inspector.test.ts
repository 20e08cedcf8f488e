import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SessionStore } from "@/lib/sessions/engines/file";
import { withSettings } from "@/lib/sessions/testing/contract";
import { settings } from "@/lib/settings";
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

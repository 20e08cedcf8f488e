import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SessionStore } from "@/lib/sessions/engines/file";
import type { CookieSettings } from "@/lib/sessions/next/cookie";
import {
  cookieAttributesAt,
  describeLifetime,
  expiryDemo,
  formatSeconds,
  recordSave,
} from "./sent-cookie";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-sent-cookie-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cookieSettings: CookieSettings = {
  SESSION_COOKIE_NAME: "sessionid",
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: "/",
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: "Lax",
};
const now = new Date("2026-11-30T12:00:00Z");
const newSession = () => new SessionStore(null, { settings: { SESSION_FILE_PATH: dir } });

describe("cookieAttributesAt", () => {
  it("sends Max-Age and Expires for an hour of inactivity", async () => {
    const session = newSession();
    await session.setExpiry(3600);
    expect(await cookieAttributesAt(session, cookieSettings, now)).toBe(
      "expires=Mon, 30 Nov 2026 13:00:00 GMT; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax",
    );
  });

  it("sends neither for a browser-session cookie", async () => {
    const session = newSession();
    await session.setExpiry(0);
    expect(await cookieAttributesAt(session, cookieSettings, now)).toBe(
      "Path=/; HttpOnly; SameSite=Lax",
    );
  });

  it("counts down to a chosen date", async () => {
    const session = newSession();
    await session.setExpiry(new Date("2026-12-01T12:00:00Z"));
    expect(await cookieAttributesAt(session, cookieSettings, now)).toContain("Max-Age=86400");
  });
});

describe("recordSave", () => {
  it("keeps what was sent in the session and marks it for saving", async () => {
    const session = newSession();
    await session.setExpiry(3600);
    await recordSave(session, "hour", cookieSettings, now);
    expect(session.modified).toBe(true);
    await session.save();

    const reopened = new SessionStore(session.sessionKey, { settings: { SESSION_FILE_PATH: dir } });
    expect(await expiryDemo.read(reopened)).toEqual({
      lifetime: "hour",
      savedAt: now.toISOString(),
      sentCookie: expect.stringContaining("Max-Age=3600"),
    });
  });
});

describe("describing a lifetime", () => {
  it("names a browser-session cookie", () => {
    expect(describeLifetime("Path=/; HttpOnly")).toContain("browser-session cookie");
  });

  it("turns Max-Age into words", () => {
    expect(describeLifetime("Max-Age=1209600; Path=/")).toContain("14 days");
    expect(formatSeconds(3600)).toBe("1 hour");
    expect(formatSeconds(90_061)).toBe("1 day, 1 hour, 1 minute and 1 second");
    expect(formatSeconds(0)).toBe("no time at all");
  });
});

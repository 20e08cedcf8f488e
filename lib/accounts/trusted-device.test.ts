import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionData } from "../sessions";
import { dumps } from "../sessions/signing";
import { settings } from "../settings";
import {
  DEVICE_COOKIE_AGE_SECONDS,
  deviceCookie,
  deviceCookieFor,
  trustedDevice,
} from "./trusted-device";

describe("device cookies", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("name a device for the email they were issued for, in any letter case, and for no other", () => {
    const cookie = deviceCookieFor("Ada@Example.com");
    const device = trustedDevice(cookie, " ada@example.com ");
    expect(device).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(trustedDevice(cookie, "bob@example.com")).toBeNull();
    expect(cookie).not.toContain("ada");
  });

  it("are set for a year, HttpOnly and SameSite=Lax, Secure as the session cookie is", () => {
    const cookie = deviceCookie("ada@example.com");
    expect(cookie).toMatchObject({
      name: "evermore_device",
      maxAge: DEVICE_COOKIE_AGE_SECONDS,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: settings().SESSION_COOKIE_SECURE,
    });
    expect(trustedDevice(cookie.value, "ada@example.com")).not.toBeNull();
  });

  it("are a new device each time one is issued", () => {
    const first = trustedDevice(deviceCookieFor("ada@example.com"), "ada@example.com");
    const second = trustedDevice(deviceCookieFor("ada@example.com"), "ada@example.com");
    expect(first).not.toBe(second);
  });

  it("are refused when missing, tampered with, signed for another purpose or with another key", () => {
    const cookie = deviceCookieFor("ada@example.com");
    expect(trustedDevice(null, "ada@example.com")).toBeNull();
    expect(trustedDevice("", "ada@example.com")).toBeNull();
    expect(trustedDevice(`${cookie}x`, "ada@example.com")).toBeNull();
    expect(trustedDevice("not a cookie at all", "ada@example.com")).toBeNull();
    const [payload] = cookie.split(":");
    const data = JSON.parse(Buffer.from(payload!, "base64url").toString()) as SessionData;
    const { SECRET_KEY } = settings();
    expect(trustedDevice(dumps(data, { key: SECRET_KEY }), "ada@example.com")).toBeNull();
    const otherKey = dumps(data, { key: "another key", salt: "evermore.accounts.trusted-device" });
    expect(trustedDevice(otherKey, "ada@example.com")).toBeNull();
    // The same data under the right key and purpose is genuine: the refusals above are the key's and salt's.
    const resigned = dumps(data, { key: SECRET_KEY, salt: "evermore.accounts.trusted-device" });
    expect(trustedDevice(resigned, "ada@example.com")).not.toBeNull();
  });

  it("hold an HMAC of the email under the secret, not a digest anyone could test guesses against", () => {
    const cookie = deviceCookieFor("ada@example.com");
    const data = JSON.parse(Buffer.from(cookie.split(":")[0]!, "base64url").toString()) as {
      email: string;
    };
    const bare = createHash("sha256").update("ada@example.com").digest("base64url");
    expect(data.email).not.toBe(bare);
    // A cookie of the old format, genuinely signed, holding the bare digest, is no longer trusted.
    const old = dumps(
      { email: bare, device: "olddevice" },
      { key: settings().SECRET_KEY, salt: "evermore.accounts.trusted-device" },
    );
    expect(trustedDevice(old, "ada@example.com")).toBeNull();
  });

  it("stay trusted through a key rotation while the old key is among the fallbacks", () => {
    const oldKey = "the key before the rotation, long and random enough 0123456789";
    const newKey = settings().SECRET_KEY;
    const cookie = deviceCookieFor("ada@example.com", oldKey);
    expect(trustedDevice(cookie, "ada@example.com", [newKey, oldKey])).not.toBeNull();
    expect(trustedDevice(cookie, "ada@example.com", [newKey])).toBeNull();
  });

  it("expire after a year", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const cookie = deviceCookieFor("ada@example.com");
    vi.setSystemTime(Date.now() + DEVICE_COOKIE_AGE_SECONDS * 1000);
    expect(trustedDevice(cookie, "ada@example.com")).not.toBeNull();
    vi.setSystemTime(Date.now() + 1000);
    expect(trustedDevice(cookie, "ada@example.com")).toBeNull();
  });
});

import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Settings } from "../../settings";
import type { SessionData } from "../base";
import { CookieTooLarge } from "../errors";
import {
  b64Encode,
  BadSignature,
  dumps,
  loads,
  MAX_INFLATED_BYTES,
  TimestampSigner,
} from "../signing";
import { sessionContract } from "../testing/contract";
import { captureSessionLog } from "../testing/log-capture";
import { cookieBytes, MAX_COOKIE_BYTES } from "./cookie-session";
import { SessionStore, SIGNED_COOKIES_SALT } from "./signed-cookies";

sessionContract("signed_cookies", "cookie", async () => ({ Store: SessionStore, settings: {} }));

const SECRET = "signed-cookies-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const RETIRED = "signed-cookies-retired-secret-9876543210-zyxwvutsrqponmlkjihgfe";
const AGE = 3600;
/** A whole second, so that Django's second-resolution timestamps land exactly on it. */
const T0 = Date.UTC(2030, 0, 1);
const SETTINGS: Partial<Settings> = {
  SECRET_KEY: SECRET,
  SECRET_KEY_FALLBACKS: [],
  SESSION_COOKIE_AGE: AGE,
  SESSION_COOKIE_NAME: "sessionid",
};

const open = (value?: string | null, settings: Partial<Settings> = {}) =>
  new SessionStore(value, { settings: { ...SETTINGS, ...settings } });

/** The cookie value a session with `data` is saved as. */
async function cookieFor(data: SessionData, settings: Partial<Settings> = {}): Promise<string> {
  const session = open(null, settings);
  await session.update(data);
  await session.save();
  return session.sessionKey!;
}

/** Opens a cookie value and reads it, collecting the security log lines this wrote. */
async function read(value: string, settings: Partial<Settings> = {}) {
  const log = captureSessionLog();
  try {
    const session = open(value, settings);
    const items = await session.items();
    return { session, items, lines: log.lines() };
  } finally {
    log.restore();
  }
}

/** Incompressible-looking but reproducible text. */
function noise(length: number): string {
  let text = "";
  for (let i = 0; text.length < length; i++) {
    text += createHash("sha256").update(`noise ${i}`).digest("base64url");
  }
  return text.slice(0, length);
}

const at = (seconds: number) => vi.setSystemTime(T0 + seconds * 1000);

describe("signed_cookies: the cookie", () => {
  it("is Django's signing.dumps of the data under the signed_cookies salt", async () => {
    const value = await cookieFor({ pet: "Biscuit", visits: 2 });
    expect(value).toMatch(/^[\w-]+:[0-9A-Za-z]+:[\w-]{43}$/);
    expect(loads(value, { key: SECRET, salt: SIGNED_COOKIES_SALT })).toEqual({
      pet: "Biscuit",
      visits: 2,
    });
  });

  it("is zlib-compressed when the data repeats: the payload then starts with '.'", async () => {
    const data = { epitaph: "a very good dog, ".repeat(200) };
    const value = await cookieFor(data);
    expect(value.startsWith(".")).toBe(true);
    expect(value.length).toBeLessThan(JSON.stringify(data).length / 10);
    expect(await open(value).get("epitaph")).toBe(data.epitaph);
  });

  it("is the key: nothing is stored, so nothing exists and clearExpired removes nothing", async () => {
    const value = await cookieFor({ x: 1 });
    expect(await open().exists(value)).toBe(false);
    expect(await SessionStore.clearExpired()).toBe(0);
  });

  it("reading a genuine cookie does not mark the session modified and logs nothing", async () => {
    const { session, items, lines } = await read(await cookieFor({ x: 1 }));
    expect(items).toEqual([["x", 1]]);
    expect(session.modified).toBe(false);
    expect(lines).toEqual([]);
  });

  it("destroy forgets the key and the data and marks the session modified", async () => {
    const session = open(await cookieFor({ x: 1 }));
    await session.destroy();
    expect(session.sessionKey).toBeNull();
    expect(session.modified).toBe(true);
    expect(await session.items()).toEqual([]);
    expect(session.isEmpty()).toBe(true);
  });

  it("cycleKey re-signs the same data", async () => {
    const session = open(await cookieFor({ x: 1 }));
    await session.cycleKey();
    expect(loads(session.sessionKey!, { key: SECRET, salt: SIGNED_COOKIES_SALT })).toEqual({
      x: 1,
    });
  });
});

describe("signed_cookies: tampered, foreign and corrupt cookies", () => {
  const tampering: [string, (value: string) => string][] = [
    ["one letter's case changed", (v) => v.replace(/[a-z]/, (c) => c.toUpperCase())],
    ["a character appended", (v) => `${v}A`],
    ["a character replaced", (v) => `${v.slice(0, 5)}${v[5] === "Q" ? "R" : "Q"}${v.slice(6)}`],
    ["the last ':' removed", (v) => v.replace(/:([\w-]+)$/, "$1")],
    ["the signature truncated", (v) => v.slice(0, -4)],
  ];

  it.each(tampering)(
    "%s: an empty session, marked modified, and one security log line without the value",
    async (_, tamper) => {
      const genuine = await cookieFor({ user: "42", role: "keeper" });
      const tampered = tamper(genuine);
      expect(tampered).not.toBe(genuine);
      const { session, items, lines } = await read(tampered);
      expect(items).toEqual([]);
      expect(session.sessionKey).toBeNull();
      expect(session.modified).toBe(true);
      expect(session.isEmpty()).toBe(true);
      expect(lines).toEqual([
        expect.stringMatching(/^sessions\.security: Session cookie tampered/),
      ]);
      expect(lines[0]).not.toContain(tampered.split(":")[0]);
      expect(lines[0]).not.toContain(genuine.split(":")[0]);
    },
  );

  it("a value signed for another purpose with the same secret is refused", async () => {
    const stored = dumps(
      { user: "42" },
      { key: SECRET, salt: "django.contrib.sessions.SessionStore" },
    );
    const { items, lines } = await read(stored);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it("a value signed with another secret is refused", async () => {
    const { items, lines } = await read(await cookieFor({ user: "42" }, { SECRET_KEY: RETIRED }));
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it(`a decompression bomb signed with the real key is refused without inflating past ${MAX_INFLATED_BYTES} bytes`, async () => {
    const huge = Buffer.from(`{"a":"${"a".repeat(MAX_INFLATED_BYTES + 1024)}"}`);
    const payload = `.${b64Encode(deflateSync(huge, { level: 9 }))}`;
    const bomb = new TimestampSigner({ key: SECRET, salt: SIGNED_COOKIES_SALT }).sign(payload);
    const { items, lines } = await read(bomb);
    expect(items).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/^sessions\.security: Session cookie tampered/)]);
  });
});

describe("signed_cookies: rotating SECRET_KEY", () => {
  const rotated = { SECRET_KEY: SECRET, SECRET_KEY_FALLBACKS: [RETIRED] };

  it("a cookie signed with a key still in SECRET_KEY_FALLBACKS loads and is marked for re-issue", async () => {
    const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED });
    const { session, items, lines } = await read(old, rotated);
    expect(items).toEqual([["pet", "Biscuit"]]);
    expect(session.modified).toBe(true);
    expect(lines).toEqual([]);

    await session.save();
    const reissued = session.sessionKey!;
    expect(loads(reissued, { key: SECRET, salt: SIGNED_COOKIES_SALT })).toEqual({ pet: "Biscuit" });
    expect(() => loads(reissued, { key: RETIRED, salt: SIGNED_COOKIES_SALT })).toThrow(
      BadSignature,
    );
  });

  it("a key removed from SECRET_KEY_FALLBACKS no longer opens its cookies", async () => {
    const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED });
    const { items, lines } = await read(old);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe("signed_cookies: expiry and replay", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a cookie is accepted until it is SESSION_COOKIE_AGE seconds old", async () => {
    const value = await cookieFor({ x: 1 });
    at(AGE - 1);
    expect((await read(value)).items).toEqual([["x", 1]]);
    at(AGE);
    expect((await read(value)).items).toEqual([["x", 1]]);
  });

  it("one second later it loads empty, with a security log line", async () => {
    const value = await cookieFor({ x: 1 });
    at(AGE + 1);
    const { session, items, lines } = await read(value);
    expect(items).toEqual([]);
    expect(session.modified).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^sessions\.security: Session cookie expired/)]);
  });

  it("a setExpiry shorter than the cookie age is enforced as well (unlike Django, ticket #19201)", async () => {
    const session = open();
    await session.set("x", 1);
    await session.setExpiry(60);
    await session.save();
    at(60);
    expect(await open(session.sessionKey).get("x")).toBe(1);
    at(61);
    expect(await open(session.sessionKey).get("x")).toBeUndefined();
  });

  it("an old cookie replays until it expires: nothing on the server can revoke it", async () => {
    const before = await cookieFor({ user: "42" });
    at(10);
    const loggedOut = open(before);
    await loggedOut.flush();
    expect(loggedOut.sessionKey).toBeNull();
    at(20);
    expect((await read(before)).items).toEqual([["user", "42"]]);
    at(AGE + 1);
    expect((await read(before)).items).toEqual([]);
  });
});

describe("signed_cookies: the 4096-byte limit", () => {
  beforeEach(() => {
    // A frozen clock makes the signed value, hence its length, the same on every save.
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const data = { first: "visit", blob: noise(3000) };

  /** A cookie name that makes `name=value` exactly `bytes` long for `data`. */
  async function nameForCookieOf(bytes: number): Promise<string> {
    const probe = await cookieFor(data);
    const valueBytes = cookieBytes("sessionid", probe) - "sessionid=".length;
    expect(valueBytes).toBeGreaterThan(3000);
    return "n".repeat(bytes - 1 - valueBytes);
  }

  it("counts the value as Next.js writes it, each ':' percent-encoded", () => {
    expect(cookieBytes("sessionid", "abc:def:ghi")).toBe("sessionid=abc%3Adef%3Aghi".length);
  });

  it(`a cookie of ${MAX_COOKIE_BYTES} bytes is refused with CookieTooLarge; the previous value stays`, async () => {
    const name = await nameForCookieOf(MAX_COOKIE_BYTES);
    const session = open(null, { SESSION_COOKIE_NAME: name });
    await session.set("first", "visit");
    await session.save();
    const previous = session.sessionKey!;

    await session.set("blob", data.blob);
    const error: unknown = await session.save().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CookieTooLarge);
    const message = (error as Error).message;
    expect(message).toMatch(/^sessions: the session cookie "n+" would be 4096 bytes/);
    expect(message).toContain("SESSION_ENGINE=db");
    expect(message).not.toContain(data.blob.slice(0, 20));
    expect(session.sessionKey).toBe(previous);
    expect(await open(previous).items()).toEqual([["first", "visit"]]);
  });

  it(`a cookie of ${MAX_COOKIE_BYTES - 1} bytes is saved and reads back`, async () => {
    const name = await nameForCookieOf(MAX_COOKIE_BYTES - 1);
    const session = open(null, { SESSION_COOKIE_NAME: name });
    await session.update(data);
    await session.save();
    expect(cookieBytes(name, session.sessionKey!)).toBe(MAX_COOKIE_BYTES - 1);
    expect(await open(session.sessionKey).get("blob")).toBe(data.blob);
  });

  it("far more data than fits is refused with the default cookie name too", async () => {
    const session = open();
    await session.set("blob", noise(10_000));
    await expect(session.save()).rejects.toThrow(CookieTooLarge);
    expect(session.sessionKey).toBeNull();
  });
});

import { createHmac } from "node:crypto";
import { sealData } from "iron-session";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Settings } from "../../settings";
import type { SessionData } from "../base";
import { CookieTooLarge } from "../errors";
import { dumps } from "../signing";
import { sessionContract } from "../testing/contract";
import { captureSessionLog } from "../testing/log-capture";
import { cookieBytes, MAX_COOKIE_BYTES } from "./cookie-session";
import { SessionStore } from "./encrypted-cookies";

sessionContract("encrypted_cookies", "cookie", async () => ({ Store: SessionStore, settings: {} }));

const SECRET = "encrypted-cookies-test-secret-0123456789-abcdefghijklmnopqrstuvw";
const RETIRED = "encrypted-cookies-retired-secret-9876543210-zyxwvutsrqponmlkjih";
const AGE = 3600;
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

/** The `*`-separated fields of an iron seal (its `~2` version suffix removed). */
const fields = (seal: string) => seal.replace(/~2$/, "").split("*");

const at = (seconds: number) => vi.setSystemTime(T0 + seconds * 1000);

describe("encrypted_cookies: the cookie", () => {
  const data = { pet: "Biscuit", secret: "correct horse battery staple" };

  it("is an iron-session seal that shows neither the data nor its base64", async () => {
    const value = await cookieFor(data);
    expect(value).toMatch(/^Fe26\.2\*\d+\*/);
    expect(value).toMatch(/~2$/);
    const json = JSON.stringify(data);
    for (const hidden of [
      data.secret,
      "Biscuit",
      Buffer.from(json).toString("base64url"),
      Buffer.from(json).toString("base64"),
      Buffer.from(data.secret).toString("base64url"),
    ]) {
      expect(value).not.toContain(hidden);
    }
    expect(await open(value).items()).toEqual(Object.entries(data));
  });

  it("is sealed afresh on every save: the same data never gives the same value twice", async () => {
    const session = open();
    await session.update(data);
    await session.save();
    const first = session.sessionKey;
    await session.cycleKey();
    expect(session.sessionKey).not.toBe(first);
    expect(await open(session.sessionKey).items()).toEqual(Object.entries(data));
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
  });
});

describe("encrypted_cookies: tampered, foreign and corrupt cookies", () => {
  /** Changes field `index` of the seal with `change`. */
  const inField =
    (index: number, change: (field: string) => string) =>
    (seal: string): string => {
      const parts = fields(seal);
      parts[index] = change(parts[index]!);
      return `${parts.join("*")}~2`;
    };
  const CIPHERTEXT = 4;
  const MAC = 7;

  const tampering: [string, (value: string) => string][] = [
    [
      "one letter's case changed",
      inField(CIPHERTEXT, (f) => f.replace(/[a-z]/, (c) => c.toUpperCase())),
    ],
    ["a character appended", (v) => `${v}2`],
    [
      "a character replaced",
      inField(CIPHERTEXT, (f) => `${f[0] === "Q" ? "R" : "Q"}${f.slice(1)}`),
    ],
    ["a '*' separator removed", (v) => v.replace(/\*(?=[^*]*$)/, "")],
    ["the MAC truncated", inField(MAC, (f) => f.slice(0, -4))],
    ["the version suffix removed", (v) => v.replace(/~2$/, "")],
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
      expect(lines).toEqual([
        expect.stringMatching(/^sessions\.security: Session cookie tampered/),
      ]);
      expect(lines[0]).not.toContain(fields(genuine)[CIPHERTEXT]!.slice(0, 16));
    },
  );

  it("a seal made with another password is refused", async () => {
    const foreign = await sealData(
      { at: Math.floor(Date.now() / 1000), data: { user: "42" } },
      { password: SECRET },
    );
    const { items, lines } = await read(foreign);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it("a seal under the engine's own password but not made by the engine is refused", async () => {
    const password = createHmac("sha256", SECRET)
      .update("sessions.encrypted-cookies")
      .digest("hex");
    const id = fields(await cookieFor({ x: 1 }))[1]!;
    const bare = await sealData({ user: "42" }, { password: { [id]: password } });
    const { items, lines } = await read(bare);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it("a signed_cookies value made with the same secret is refused", async () => {
    const signed = dumps(
      { user: "42" },
      { key: SECRET, salt: "django.contrib.sessions.backends.signed_cookies" },
    );
    const { items, lines } = await read(signed);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe("encrypted_cookies: rotating SECRET_KEY", () => {
  const rotated = { SECRET_KEY: SECRET, SECRET_KEY_FALLBACKS: [RETIRED] };

  it("a seal names its password by an id that depends on the secret alone, not its position", async () => {
    const id = fields(await cookieFor({ x: 1 }, { SECRET_KEY: RETIRED }))[1];
    expect(fields(await cookieFor({ x: 1 }, { SECRET_KEY: RETIRED }))[1]).toBe(id);
    expect(fields(await cookieFor({ x: 1 }, rotated))[1]).not.toBe(id);
  });

  it("a cookie sealed under a key still in SECRET_KEY_FALLBACKS loads and is marked for re-issue", async () => {
    const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED });
    const { session, items, lines } = await read(old, rotated);
    expect(items).toEqual([["pet", "Biscuit"]]);
    expect(session.modified).toBe(true);
    expect(lines).toEqual([]);

    await session.save();
    const reissued = session.sessionKey!;
    expect((await read(reissued)).items).toEqual([["pet", "Biscuit"]]);
    expect((await read(reissued, { SECRET_KEY: RETIRED })).items).toEqual([]);
  });

  it("a key removed from SECRET_KEY_FALLBACKS no longer opens its cookies", async () => {
    const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED });
    const { items, lines } = await read(old);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe("encrypted_cookies: expiry and replay", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the seal carries iron's own TTL of SESSION_COOKIE_AGE", async () => {
    const value = await cookieFor({ x: 1 });
    expect(Number(fields(value)[5])).toBe(T0 + AGE * 1000);
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

  it("a setExpiry shorter than the cookie age is enforced as well", async () => {
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

describe("encrypted_cookies: the 4096-byte limit", () => {
  beforeEach(() => {
    // A frozen clock fixes the seal's timestamps; its length then depends on the data alone.
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const data = { first: "visit", blob: "b".repeat(2500) };

  /** A cookie name that makes `name=value` exactly `bytes` long for `data`. */
  async function nameForCookieOf(bytes: number): Promise<string> {
    const probe = await cookieFor(data);
    const valueBytes = cookieBytes("sessionid", probe) - "sessionid=".length;
    expect(valueBytes).toBeGreaterThan(3000);
    return "n".repeat(bytes - 1 - valueBytes);
  }

  it(`a cookie of ${MAX_COOKIE_BYTES} bytes is refused with CookieTooLarge; the previous value stays`, async () => {
    const name = await nameForCookieOf(MAX_COOKIE_BYTES);
    const session = open(null, { SESSION_COOKIE_NAME: name });
    await session.set("first", "visit");
    await session.save();
    const previous = session.sessionKey!;

    await session.set("blob", data.blob);
    const error: unknown = await session.save().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CookieTooLarge);
    expect((error as Error).message).toMatch(/would be 4096 bytes.*SESSION_ENGINE=db/);
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
});

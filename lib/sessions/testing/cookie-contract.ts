import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Settings } from "../../settings";
import type { Json, SessionBase, SessionData } from "../base";
import type { SessionStoreClass } from "../engine";
import { cookieBytes, MAX_COOKIE_BYTES } from "../engines/cookie-session";
import { CookieTooLarge } from "../errors";
import { dumps } from "../signing";
import { captureSessionLog } from "./log-capture";

/**
 * What both cookie engines (`signed_cookies`, `encrypted_cookies`) promise
 * beyond the session contract: the value is the key, damaged or foreign
 * values load empty with one security log line, fallback keys re-issue,
 * expiry and replay follow Django's edge, and nothing over 4096 bytes is
 * emitted. Each engine's test file calls `cookieEngineContract` next to
 * `sessionContract`, and keeps only what its own format adds.
 */

export const COOKIE_SECRET = "cookie-engines-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
/** A secret the engines no longer sign with, unless it is in `SECRET_KEY_FALLBACKS`. */
export const RETIRED_SECRET = "cookie-engines-retired-secret-9876543210-zyxwvutsrqponmlkjihgfe";
export const COOKIE_AGE = 3600;
/** A whole second, so that Django's second-resolution timestamps land exactly on it. */
export const T0 = Date.UTC(2030, 0, 1);

const SETTINGS: Partial<Settings> = {
  SECRET_KEY: COOKIE_SECRET,
  SECRET_KEY_FALLBACKS: [],
  SESSION_COOKIE_AGE: COOKIE_AGE,
  SESSION_COOKIE_NAME: "sessionid",
};

/** What reading a cookie value gave: the session, its items and the log lines written. */
export interface CookieRead {
  session: SessionBase;
  items: [string, Json][];
  lines: string[];
}

/** Ways to open, write and read cookie values of `Store` under the test settings. */
export function cookieSessions(Store: SessionStoreClass) {
  const open = (value?: string | null, settings: Partial<Settings> = {}) =>
    new Store(value, { settings: { ...SETTINGS, ...settings } });

  /** The cookie value a session with `data` is saved as. */
  async function cookieFor(data: SessionData, settings: Partial<Settings> = {}): Promise<string> {
    const session = open(null, settings);
    await session.update(data);
    await session.save();
    return session.sessionKey!;
  }

  /** Opens a cookie value and reads it, collecting the security log lines this wrote. */
  async function read(value: string, settings: Partial<Settings> = {}): Promise<CookieRead> {
    const log = captureSessionLog();
    try {
      const session = open(value, settings);
      const items = await session.items();
      return { session, items, lines: log.lines() };
    } finally {
      log.restore();
    }
  }

  return { open, cookieFor, read };
}

/** Moves the frozen clock to `seconds` after `T0`. */
export const at = (seconds: number) => vi.setSystemTime(T0 + seconds * 1000);

/** Freezes `Date` at `T0` for each test of the enclosing `describe`. */
export function freezeClock() {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Django's salts for session data: stored records, and the signed_cookies backend's cookies. */
const DJANGO_SESSION_SALTS = [
  "django.contrib.sessions.SessionStore",
  "django.contrib.sessions.backends.signed_cookies",
];

/** Incompressible-looking but reproducible text. */
function noise(length: number): string {
  let text = "";
  for (let i = 0; text.length < length; i++) {
    text += createHash("sha256").update(`noise ${i}`).digest("base64url");
  }
  return text.slice(0, length);
}

/** The first `length`-character piece of `value` that `line` contains, if any. */
function pieceShown(line: string, value: string, length = 16): string | undefined {
  for (let start = 0; start + length <= value.length; start++) {
    const piece = value.slice(start, start + length);
    if (line.includes(piece)) return piece;
  }
  return undefined;
}

export interface CookieEngineOptions {
  /** Ways to damage a genuine value of this engine's format; each must be refused. */
  tampering: [string, (value: string) => string][];
  /**
   * How many characters of incompressible text make this engine's cookie over
   * 3000 bytes yet under 4096: the size-limit tests grow the cookie name around it.
   */
  largeDataLength: number;
  /** The Django signing salt the engine's own values are made under, if any. */
  ownSalt?: string;
}

export function cookieEngineContract(
  name: string,
  Store: SessionStoreClass,
  { tampering, largeDataLength, ownSalt }: CookieEngineOptions,
) {
  const { open, cookieFor, read } = cookieSessions(Store);
  const foreignSalts = DJANGO_SESSION_SALTS.filter((salt) => salt !== ownSalt);

  describe(`${name}: the cookie-engine contract`, () => {
    describe("the cookie", () => {
      it("is the key: nothing is stored, so nothing exists and clearExpired removes nothing", async () => {
        const value = await cookieFor({ x: 1 });
        expect(await open().exists(value)).toBe(false);
        expect(await Store.clearExpired()).toBe(0);
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
    });

    describe("tampered, foreign and corrupt cookies", () => {
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
          expect(pieceShown(lines[0]!, genuine)).toBeUndefined();
          expect(pieceShown(lines[0]!, tampered)).toBeUndefined();
        },
      );

      it.each(foreignSalts)(
        "a value Django signed with the same secret for another purpose (salt %s) is refused",
        async (salt) => {
          const { items, lines } = await read(dumps({ user: "42" }, { key: COOKIE_SECRET, salt }));
          expect(items).toEqual([]);
          expect(lines).toEqual([
            expect.stringMatching(/^sessions\.security: Session cookie tampered/),
          ]);
        },
      );

      it("a value made under another SECRET_KEY is refused", async () => {
        const foreign = await cookieFor({ user: "42" }, { SECRET_KEY: RETIRED_SECRET });
        const { items, lines } = await read(foreign);
        expect(items).toEqual([]);
        expect(lines).toEqual([
          expect.stringMatching(/^sessions\.security: Session cookie tampered/),
        ]);
      });
    });

    describe("rotating SECRET_KEY", () => {
      const rotated = { SECRET_KEY: COOKIE_SECRET, SECRET_KEY_FALLBACKS: [RETIRED_SECRET] };

      it("a cookie made under a key still in SECRET_KEY_FALLBACKS loads and is marked for re-issue", async () => {
        const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED_SECRET });
        const { session, items, lines } = await read(old, rotated);
        expect(items).toEqual([["pet", "Biscuit"]]);
        expect(session.modified).toBe(true);
        expect(lines).toEqual([]);

        await session.save();
        const reissued = session.sessionKey!;
        expect((await read(reissued)).items).toEqual([["pet", "Biscuit"]]);
        const underRetired = await read(reissued, { SECRET_KEY: RETIRED_SECRET });
        expect(underRetired.items).toEqual([]);
        expect(underRetired.lines).toHaveLength(1);
      });

      it("a key removed from SECRET_KEY_FALLBACKS no longer opens its cookies", async () => {
        const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED_SECRET });
        expect((await read(old, rotated)).items).toEqual([["pet", "Biscuit"]]);
        const { items, lines } = await read(old);
        expect(items).toEqual([]);
        expect(lines).toHaveLength(1);
      });
    });

    describe("expiry and replay", () => {
      freezeClock();

      it("a cookie is accepted until it is SESSION_COOKIE_AGE seconds old", async () => {
        const value = await cookieFor({ x: 1 });
        at(COOKIE_AGE - 1);
        expect((await read(value)).items).toEqual([["x", 1]]);
        at(COOKIE_AGE);
        expect((await read(value)).items).toEqual([["x", 1]]);
      });

      it("one second later it loads empty, with a security log line", async () => {
        const value = await cookieFor({ x: 1 });
        at(COOKIE_AGE + 1);
        const { session, items, lines } = await read(value);
        expect(items).toEqual([]);
        expect(session.modified).toBe(true);
        expect(lines).toEqual([
          expect.stringMatching(/^sessions\.security: Session cookie expired/),
        ]);
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
        at(COOKIE_AGE + 1);
        expect((await read(before)).items).toEqual([]);
      });
    });

    describe("the 4096-byte limit", () => {
      // Timestamps are part of the value: frozen, the value's length depends on the data alone.
      freezeClock();

      // Incompressible, so that signed_cookies' zlib cannot shrink it below the limit.
      const data = { first: "visit", blob: noise(largeDataLength) };

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
  });
}

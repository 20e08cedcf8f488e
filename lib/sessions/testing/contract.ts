import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Settings } from "../../settings";
import type { SessionBase, SessionOptions } from "../base";
import { SESSION_KEY_LENGTH } from "../base";
import type { SessionStoreClass } from "../engine";
import { MissingKey, SessionTooLarge, UnserializableValue, UpdateError } from "../errors";
import { DEFAULT_SESSION_MAX_SIZE } from "../settings";
import { concurrencyContract } from "./concurrency-contract";
import { captureSessionLog } from "./log-capture";

/**
 * The behaviour every engine shares (Django's `SessionTestsMixin`), run
 * against real storage. Each engine's test file calls `sessionContract` with
 * a way to set its storage up, and adds its own cases next to it.
 */

/** "server": records live in a store, found by key. "cookie": the key is the data. */
export type EngineKind = "server" | "cookie";

export interface ContractSetup {
  /** The engine's `SessionStore`. */
  Store: SessionStoreClass;
  /** Settings this run needs (a cache URL, a directory, a database URL …). */
  settings: Partial<Settings>;
  teardown?(): Promise<void>;
}

/** A subclass of `Store` whose instances use `overrides` on top of the process settings. */
export function withSettings(
  Store: SessionStoreClass,
  overrides: Partial<Settings>,
): SessionStoreClass {
  const Base = Store as unknown as new (key?: string | null, options?: SessionOptions) => object;
  class Bound extends Base {
    constructor(key?: string | null, options: SessionOptions = {}) {
      super(key, { settings: { ...overrides, ...options.settings } });
    }
  }
  Object.assign(Bound, { clearExpired: Store.clearExpired });
  return Bound as unknown as SessionStoreClass;
}

export interface ContractOptions {
  /** The store drops expired records by itself (a cache's TTL): `clearExpired` may find none. */
  expiresByItself?: boolean;
}

export function sessionContract(
  name: string,
  kind: EngineKind,
  setup: () => Promise<ContractSetup>,
  options: ContractOptions = {},
) {
  describe(`${name}: the session contract`, () => {
    let Store: SessionStoreClass;
    let settings: Partial<Settings>;
    let teardown: (() => Promise<void>) | undefined;
    let session: SessionBase;
    const open = (key?: string | null, extra: Partial<Settings> = {}) =>
      new Store(key, { settings: { ...settings, ...extra } });

    beforeAll(async () => {
      const ready = await setup();
      settings = ready.settings;
      teardown = ready.teardown;
      Store = withSettings(ready.Store, settings);
    });
    afterAll(async () => {
      await teardown?.();
    });
    beforeEach(() => {
      session = open();
    });

    /** Saves and returns a fresh store that reads the same session back. */
    async function saveAndReopen(s: SessionBase = session): Promise<SessionBase> {
      await s.save();
      return open(s.sessionKey);
    }

    describe("a new session", () => {
      it("is empty, untouched and has no key", () => {
        expect(session.isEmpty()).toBe(true);
        expect(session.sessionKey).toBeNull();
        expect(session.accessed).toBe(false);
        expect(session.modified).toBe(false);
      });

      it("answers reads with the default, marking itself accessed but not modified", async () => {
        expect(await session.get("cat")).toBeUndefined();
        expect(await session.get("cat", "lion")).toBe("lion");
        expect(await session.has("cat")).toBe(false);
        expect(session.accessed).toBe(true);
        expect(session.modified).toBe(false);
      });
    });

    describe("the dictionary", () => {
      it("stores a value and marks the session modified", async () => {
        await session.set("cat", "cheshire");
        expect(session.accessed).toBe(true);
        expect(session.modified).toBe(true);
        expect(await session.get("cat")).toBe("cheshire");
      });

      it("pops a value, a default, or fails on a missing key without a default", async () => {
        await session.set("some key", "exists");
        session.modified = session.accessed = false;
        expect(await session.pop("some key")).toBe("exists");
        expect(session.modified).toBe(true);
        expect(await session.get("some key")).toBeUndefined();

        session.modified = false;
        expect(await session.pop("some key", "does not exist")).toBe("does not exist");
        expect(await session.pop("some key", null)).toBeNull();
        expect(session.modified).toBe(false);
        await expect(session.pop("some key")).rejects.toThrow(MissingKey);
        expect(session.modified).toBe(false);
      });

      it("setDefault keeps an existing value and stores a missing one", async () => {
        expect(await session.setDefault("foo", "bar")).toBe("bar");
        expect(await session.setDefault("foo", "baz")).toBe("bar");
        expect(session.modified).toBe(true);
      });

      it("update merges values and marks the session modified", async () => {
        await session.update({ update_key: 1, other: [1, "two"] });
        expect(session.modified).toBe(true);
        expect(await session.get("update_key")).toBe(1);
        expect(await session.get("other")).toEqual([1, "two"]);
      });

      it("alter sets a key from its current value, and removes it on undefined", async () => {
        await session.alter("visits", (current) => (typeof current === "number" ? current : 0) + 1);
        await session.alter("visits", (current) => (current as number) + 1);
        expect(await session.get("visits")).toBe(2);
        expect(session.modified).toBe(true);
        await session.alter("visits", () => undefined);
        expect(await session.has("visits")).toBe(false);
        await expect(session.alter("bad", () => Number.NaN)).rejects.toThrow(UnserializableValue);
      });

      it("has, keys, values and items read without modifying", async () => {
        await session.set("x", 1);
        await session.set("y", { nested: true });
        session.modified = session.accessed = false;
        expect(await session.has("x")).toBe(true);
        expect(await session.keys()).toEqual(["x", "y"]);
        expect(await session.values()).toEqual([1, { nested: true }]);
        expect(await session.items()).toEqual([
          ["x", 1],
          ["y", { nested: true }],
        ]);
        expect(session.accessed).toBe(true);
        expect(session.modified).toBe(false);
      });

      it("delete removes a key, and fails with MissingKey for a key that is not there", async () => {
        await session.set("x", 1);
        await session.delete("x");
        expect(await session.has("x")).toBe(false);
        await expect(session.delete("x")).rejects.toThrow(MissingKey);
      });

      it("clear empties the session and marks it accessed and modified", async () => {
        await session.set("x", 1);
        session.modified = session.accessed = false;
        session.clear();
        expect(await session.items()).toEqual([]);
        expect(session.accessed).toBe(true);
        expect(session.modified).toBe(true);
      });

      it("refuses values JSON cannot carry when they are set, not when saved", async () => {
        const notJson = [new Date(), () => 1, Number.NaN, undefined, 10n, new Map()] as unknown[];
        for (const value of notJson) {
          await expect(session.set("bad", value as never)).rejects.toThrow(UnserializableValue);
        }
        expect(session.modified).toBe(false);
        expect(await session.has("bad")).toBe(false);
      });

      it("keeps text in any script, and keys that look like object internals, as plain data", async () => {
        await session.set("name", "Müsli the 猫 🐈");
        await session.set("__proto__", { polluted: true });
        await session.set("constructor", "just a key");
        const reopened = await saveAndReopen();
        expect(await reopened.get("name")).toBe("Müsli the 猫 🐈");
        expect(await reopened.get("__proto__")).toEqual({ polluted: true });
        expect(await reopened.get("constructor")).toBe("just a key");
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it("keeps NUL characters and lone surrogates (stored escaped, so PostgreSQL takes them)", async () => {
        const odd = "a\u0000b \ud800 lone, \udfff too";
        await session.set("odd", odd);
        await session.set("odd\u0000key", 1);
        const reopened = await saveAndReopen();
        expect(await reopened.get("odd")).toBe(odd);
        expect(await reopened.get("odd\u0000key")).toBe(1);
      });
    });

    describe("the size cap (SESSION_MAX_SIZE)", () => {
      const SMALL_CAP = 1024;
      /** Random, so compression cannot shrink it: data that serializes to exactly `bytes`. */
      const dataOf = (bytes: number) => ({
        big: randomBytes(bytes)
          .toString("base64")
          .slice(0, bytes - '{"big":""}'.length),
      });

      it("refuses a 16 MB value with SessionTooLarge, saying sizes, never the data; the old record stays", async () => {
        await session.set("kept", "before");
        await session.save();
        const before = session.sessionKey;
        const big = randomBytes(12 * 1024 * 1024).toString("base64");
        await session.set("big", big);
        const error = await session.save().then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(SessionTooLarge);
        const message = (error as Error).message;
        expect(message).toMatch(
          /^sessions: the session's data is \d+ bytes serialized, more than the 262144 bytes allowed \(SESSION_MAX_SIZE\)/,
        );
        expect(message).not.toContain(big.slice(0, 16));
        if (kind === "server") expect(session.sessionKey).toBe(before);
        expect(await open(before).items()).toEqual([["kept", "before"]]);
      }, 60_000);

      it("saves a session exactly at the cap, and refuses one byte more, on a new session too", async () => {
        const cap = kind === "server" ? DEFAULT_SESSION_MAX_SIZE : SMALL_CAP;
        const data = dataOf(cap);
        const atCap = open(null, { SESSION_MAX_SIZE: cap });
        await atCap.update(data);
        await atCap.save();
        const stored = await open(atCap.sessionKey, { SESSION_MAX_SIZE: cap }).get("big");
        expect(stored === data.big).toBe(true); // not toBe: a failure would print it twice
        const over = open(null, { SESSION_MAX_SIZE: cap });
        await over.update(dataOf(cap + 1));
        await expect(over.save()).rejects.toThrow(SessionTooLarge);
        // Nothing was written: no record under whatever key the save drew, no cookie value.
        if (kind === "server" && over.sessionKey)
          expect(await over.exists(over.sessionKey)).toBe(false);
        if (kind === "cookie") expect(over.sessionKey).toBeNull();
      }, 60_000);

      it("measures the cap in stored bytes: each non-ASCII character costs six (an emoji twelve)", async () => {
        const small = open(null, { SESSION_MAX_SIZE: SMALL_CAP });
        // {"t":"…"} is 8 bytes; 169 × 6 = 1014 more fits, 170 × 6 does not.
        await small.set("t", "猫".repeat(169));
        await small.save();
        await small.set("t", "🐶".repeat(85));
        await expect(small.save()).rejects.toThrow(SessionTooLarge);
        expect(await open(small.sessionKey, { SESSION_MAX_SIZE: SMALL_CAP }).get("t")).toBe(
          "猫".repeat(169),
        );
      });

      it("decodes what the cap could not have written to an empty session, logged without the key", async () => {
        await session.set("x", 1);
        await session.save();
        const key = session.sessionKey!;
        const roomy = open(key, { SESSION_MAX_SIZE: 4 * SMALL_CAP });
        const small = open(key, { SESSION_MAX_SIZE: SMALL_CAP });
        // Too long to read at all, and (compressed) short but inflating past the cap.
        const wide = dataOf(2 * SMALL_CAP);
        const long = roomy.encode(wide);
        const inflating = roomy.encode({ a: "a".repeat(2 * SMALL_CAP) });
        expect(inflating.length).toBeLessThan(SMALL_CAP);
        expect(roomy.decode(long)).toEqual(wide);
        const log = captureSessionLog();
        try {
          expect(small.decode(long)).toEqual({});
          expect(small.decode(inflating)).toEqual({});
          const line =
            /^sessions\.security: Session data larger than SESSION_MAX_SIZE allows, read as empty \[session [0-9a-f]{16}\]$/;
          expect(log.lines()).toEqual([expect.stringMatching(line), expect.stringMatching(line)]);
          expect(log.lines().join("\n")).not.toContain(key);
        } finally {
          log.restore();
        }
      });
    });

    describe("saving and loading", () => {
      it("a saved session is read back by key, and saving keeps the data in memory", async () => {
        await session.set("pets", [{ name: "Biscuit", species: "dog" }]);
        const reopened = await saveAndReopen();
        expect(await session.get("pets")).toEqual([{ name: "Biscuit", species: "dog" }]);
        expect(await reopened.get("pets")).toEqual([{ name: "Biscuit", species: "dog" }]);
      });

      it("the key is read-only", () => {
        expect(() => {
          (session as unknown as { sessionKey: string }).sessionKey = "abcdefgh12345678";
        }).toThrow(TypeError);
      });

      it("empty and short keys become no key at all", () => {
        expect(open("").sessionKey).toBeNull();
        expect(open("1234567").sessionKey).toBeNull();
      });

      it("an invalid key is replaced by a new one on save", async () => {
        const s = open("1");
        await s.set("cat", "cheshire");
        await s.save();
        expect(s.sessionKey).not.toBe("1");
        expect(await open(s.sessionKey).get("cat")).toBe("cheshire");
      });

      it("flush deletes the data and forgets the key", async () => {
        await session.set("foo", "bar");
        await session.save();
        const key = session.sessionKey!;
        session.modified = session.accessed = false;
        await session.flush();
        expect(session.sessionKey).toBeNull();
        expect(session.modified).toBe(true);
        expect(session.accessed).toBe(true);
        expect(await session.items()).toEqual([]);
        if (kind === "server") expect(await session.exists(key)).toBe(false);
      });

      it("cycleKey keeps the data under a new key", async () => {
        await session.set("a", "c");
        await session.set("b", "d");
        await session.save();
        const before = await session.items();
        const oldKey = session.sessionKey;
        await session.cycleKey();
        // A signed cookie is a function of data, second and secret, so it may come out the same;
        // Django does not test cycling for cookies either ("meaningless" for them).
        if (kind === "server") expect(session.sessionKey).not.toBe(oldKey);
        expect(await session.items()).toEqual(before);
        await session.save();
        expect(await open(session.sessionKey).items()).toEqual(before);
      });

      it("cycleKey loads the data first when nothing was read yet", async () => {
        await session.set("a", "c");
        await session.save();
        const unread = open(session.sessionKey);
        await unread.cycleKey();
        await unread.save();
        expect(await open(unread.sessionKey).get("a")).toBe("c");
      });

      it("decode reads what encode wrote", () => {
        const data = { a: "test data", b: [1, 2, 3], c: { d: null } };
        expect(session.decode(session.encode(data))).toEqual(data);
      });

      it("tampered data decodes to an empty session and a security log line without the key", () => {
        const log = captureSessionLog();
        try {
          const encoded = session.encode({ a: "test data" });
          const tampered = encoded.slice(0, -1) + (encoded.endsWith("A") ? "B" : "A");
          expect(session.decode(tampered)).toEqual({});
          expect(session.decode("not even close")).toEqual({});
          expect(log.lines()).toEqual([
            expect.stringMatching(/^sessions\.security: Session data corrupted/),
            expect.stringMatching(/^sessions\.security: Session data corrupted/),
          ]);
        } finally {
          log.restore();
        }
      });
    });

    describe("expiry", () => {
      const AGE = 1209600;

      it("defaults to SESSION_COOKIE_AGE, and 0 (browser close) still reports that age", async () => {
        expect(await session.getExpiryAge()).toBe(settings.SESSION_COOKIE_AGE ?? AGE);
        await session.setExpiry(0);
        expect(await session.getExpiryAge()).toBe(settings.SESSION_COOKIE_AGE ?? AGE);
      });

      it("follows getSessionCookieAge when a subclass overrides it", async () => {
        const s = Object.assign(open(), { getSessionCookieAge: () => 10 });
        const now = new Date();
        expect(await s.getExpiryAge()).toBe(10);
        expect((await s.getExpiryDate({ modification: now })).getTime()).toBe(
          now.getTime() + 10_000,
        );
      });

      it("takes seconds of inactivity", async () => {
        await session.setExpiry(10);
        const now = new Date();
        expect(await session.getExpiryAge()).toBe(10);
        expect((await session.getExpiryDate({ modification: now })).getTime()).toBe(
          now.getTime() + 10_000,
        );
      });

      it("takes a duration, fixed to a moment when set", async () => {
        await session.setExpiry({ seconds: 10 });
        const age = await session.getExpiryAge();
        expect(age === 9 || age === 10).toBe(true);
        const date = await session.getExpiryDate();
        expect(date.getTime() - Date.now()).toBeLessThanOrEqual(10_000);
        expect(date.getTime() - Date.now()).toBeGreaterThan(8_000);
      });

      it("takes an absolute date", async () => {
        const at = new Date(Date.now() + 10_000);
        await session.setExpiry(at);
        const age = await session.getExpiryAge();
        expect(age === 9 || age === 10).toBe(true);
        expect((await session.getExpiryDate()).getTime()).toBe(at.getTime());
      });

      it("goes back to the global policy with null", async () => {
        await session.setExpiry(10);
        await session.setExpiry(null);
        expect(await session.getExpiryAge()).toBe(settings.SESSION_COOKIE_AGE ?? AGE);
      });

      it("answers getExpiryAge and getExpiryDate for a given modification time and expiry", async () => {
        const modification = new Date("2030-01-01T00:00:00Z");
        const expiry = new Date("2030-01-01T01:00:00Z");
        expect(await session.getExpiryAge({ modification, expiry })).toBe(3600);
        expect(await session.getExpiryAge({ modification, expiry: expiry.toISOString() })).toBe(
          3600,
        );
        expect(await session.getExpiryDate({ modification, expiry: 60 })).toEqual(
          new Date("2030-01-01T00:01:00Z"),
        );
        expect(await session.getExpiryDate({ modification, expiry: null })).toEqual(
          new Date(modification.getTime() + (settings.SESSION_COOKIE_AGE ?? AGE) * 1000),
        );
      });

      it.each([false, true])(
        "expires at browser close only for expiry 0 (SESSION_EXPIRE_AT_BROWSER_CLOSE=%s by default)",
        async (atClose) => {
          const s = open(null, { SESSION_EXPIRE_AT_BROWSER_CLOSE: atClose });
          expect(await s.getExpireAtBrowserClose()).toBe(atClose);
          await s.setExpiry(10);
          expect(await s.getExpireAtBrowserClose()).toBe(false);
          await s.setExpiry(0);
          expect(await s.getExpireAtBrowserClose()).toBe(true);
          await s.setExpiry(null);
          expect(await s.getExpireAtBrowserClose()).toBe(atClose);
        },
      );

      it.each([false, true])(
        "gives the cookie's Max-Age: none at browser close, else the expiry age (SESSION_EXPIRE_AT_BROWSER_CLOSE=%s)",
        async (atClose) => {
          const s = open(null, { SESSION_EXPIRE_AT_BROWSER_CLOSE: atClose });
          expect(await s.cookieMaxAge()).toBe(
            atClose ? null : (settings.SESSION_COOKIE_AGE ?? AGE),
          );
          await s.setExpiry(600);
          expect(await s.cookieMaxAge()).toBe(600);
          await s.setExpiry(0);
          expect(await s.cookieMaxAge()).toBeNull();
          await s.setExpiry(new Date(Date.now() + 3_600_500));
          expect(await s.cookieMaxAge()).toBe(await s.getExpiryAge());
        },
      );

      it("an expired session loads empty", async () => {
        await session.set("foo", "bar");
        await session.setExpiry({ seconds: -10 });
        await session.save();
        const reopened = open(session.sessionKey);
        expect(await reopened.has("foo")).toBe(false);
      });
    });

    describe("the test cookie", () => {
      it("is set, seen and deleted", async () => {
        expect(await session.testCookieWorked()).toBe(false);
        await session.setTestCookie();
        const reopened = await saveAndReopen();
        expect(await reopened.testCookieWorked()).toBe(true);
        await reopened.deleteTestCookie();
        expect(await reopened.testCookieWorked()).toBe(false);
      });
    });

    if (kind === "server") {
      serverSideContract();
      concurrencyContract((key) => open(key));
    }

    function serverSideContract() {
      describe("server-side storage", () => {
        it("creates keys of 32 characters from a-z0-9, and the record exists", async () => {
          await session.set("x", 1);
          await session.save();
          expect(session.sessionKey).toMatch(new RegExp(`^[a-z0-9]{${SESSION_KEY_LENGTH}}$`));
          expect(await session.exists(session.sessionKey!)).toBe(true);
        });

        it("destroy deletes a record; destroying a missing one is not an error", async () => {
          await session.set("x", 1);
          await session.save();
          const key = session.sessionKey!;
          await session.destroy(key);
          expect(await session.exists(key)).toBe(false);
          await session.destroy(key);
          await session.destroy("nonexistentkey0000000000000000");
        });

        it("a stored record larger than SESSION_MAX_SIZE allows loads as an empty session, which the next save replaces", async () => {
          const roomy = open(null, { SESSION_MAX_SIZE: 4096 });
          await roomy.set("big", randomBytes(2048).toString("base64"));
          await roomy.save();
          const key = roomy.sessionKey!;
          const log = captureSessionLog();
          const capped = open(key, { SESSION_MAX_SIZE: 1024 });
          try {
            expect(await capped.items()).toEqual([]);
          } finally {
            log.restore();
          }
          expect(log.lines()).toEqual([
            expect.stringMatching(/^sessions\.security: Session data larger than SESSION_MAX_SIZE/),
          ]);
          await capped.set("x", 1);
          await capped.save();
          expect(capped.sessionKey).toBe(key);
          expect(await open(key, { SESSION_MAX_SIZE: 1024 }).items()).toEqual([["x", 1]]);
        });

        it("an unknown key is never adopted and never creates a record", async () => {
          const unknown = "someunknownkey00000000000000000";
          const s = open(unknown);
          expect(await s.load()).toEqual({});
          expect(s.sessionKey).toBeNull();
          expect(await s.exists(unknown)).toBe(false);
          await s.set("x", 1);
          await s.save();
          expect(s.sessionKey).not.toBe(unknown);
          expect(await s.exists(unknown)).toBe(false);
        });

        it.each([
          "../../../etc/passwd",
          "a/b/cdefghij",
          "a\\b\\cdefghij",
          "ABCDEFGHIJKLMNOP",
          "abc def ghij",
          "x".repeat(41),
        ])("a hostile key (%s) is treated as no key", async (hostile) => {
          const s = open(hostile);
          expect(s.sessionKey).toBeNull();
          expect(await s.exists(hostile)).toBe(false);
          await s.destroy(hostile);
        });

        it("reads a session saved under a key now in SECRET_KEY_FALLBACKS, and not once the key is gone", async () => {
          const [retired, current] = [1, 2].map(
            (n) => `key-${n}-${randomBytes(24).toString("hex")}`,
          );
          const before = open(null, { SECRET_KEY: retired });
          await before.set("pet", "Biscuit");
          await before.save();
          const key = before.sessionKey!;
          const rotating = { SECRET_KEY: current, SECRET_KEY_FALLBACKS: [retired!] };
          expect(await open(key, rotating).get("pet")).toBe("Biscuit");
          const log = captureSessionLog();
          try {
            expect(
              await open(key, { SECRET_KEY: current, SECRET_KEY_FALLBACKS: [] }).has("pet"),
            ).toBe(false);
            // Logged with a fingerprint of the key (an HMAC), never the key or a piece of it.
            const lines = log.lines();
            expect(lines).toContainEqual(expect.stringMatching(/\[session [0-9a-f]{16}\]$/));
            for (const line of lines) {
              const fingerprint = /\[session ([0-9a-f]+)\]/.exec(line)?.[1] ?? "";
              expect(key).not.toContain(fingerprint.slice(0, 8));
            }
          } finally {
            log.restore();
          }
        });

        it("a save never resurrects a session deleted elsewhere", async () => {
          await session.set("x", 1);
          await session.save();
          const key = session.sessionKey!;
          const elsewhere = open(key);
          await elsewhere.flush();
          await session.set("y", 2);
          await expect(session.save()).rejects.toThrow(UpdateError);
          expect(await session.exists(key)).toBe(false);
        });

        it("an expired session is replaced on save, not refreshed", async () => {
          await session.set("foo", "bar");
          await session.setExpiry({ seconds: -10 });
          await session.save();
          const oldKey = session.sessionKey!;
          const reopened = open(oldKey);
          await reopened.set("fresh", true);
          await reopened.save();
          expect(reopened.sessionKey).not.toBe(oldKey);
          expect(await reopened.has("foo")).toBe(false);
        });

        it("creating never overwrites an existing record, even when a key collides", async () => {
          await session.set("owner", "first visitor");
          await session.save();
          const taken = session.sessionKey!;
          const intruder = open();
          const drawKey = intruder["newSessionKey"].bind(intruder);
          let offered = false;
          Object.assign(intruder, {
            // As if two processes drew the same key at the same moment.
            newSessionKey: async () => (offered ? drawKey() : ((offered = true), taken)),
          });
          await intruder.set("owner", "second visitor");
          await intruder.save();
          expect(offered).toBe(true);
          expect(intruder.sessionKey).not.toBe(taken);
          expect(await open(taken).get("owner")).toBe("first visitor");
          expect(await open(intruder.sessionKey).get("owner")).toBe("second visitor");
        });

        it("clearExpired removes expired sessions and keeps live ones", async () => {
          const expired = open();
          await expired.set("x", 1);
          await expired.setExpiry({ seconds: -60 });
          await expired.save();
          const live = open();
          await live.set("x", 2);
          await live.save();
          const removed = await Store.clearExpired();
          expect(removed).toBeGreaterThanOrEqual(options.expiresByItself ? 0 : 1);
          expect(await live.exists(live.sessionKey!)).toBe(true);
          expect(await open(live.sessionKey).get("x")).toBe(2);
          expect(await expired.exists(expired.sessionKey!)).toBe(false);
        });
      });
    }
  });
}

import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_SESSION_MAX_SIZE } from "../settings";
import { b64Encode, BadSignature, loads, TimestampSigner } from "../signing";
import { sessionContract } from "../testing/contract";
import {
  COOKIE_SECRET,
  cookieEngineContract,
  cookieSessions,
  RETIRED_SECRET,
} from "../testing/cookie-contract";
import { cookieBytes } from "./cookie-session";
import { SessionStore, SIGNED_COOKIES_SALT } from "./signed-cookies";

sessionContract("signed_cookies", "cookie", async () => ({ Store: SessionStore, settings: {} }));

cookieEngineContract("signed_cookies", SessionStore, {
  tampering: [
    ["one letter's case changed", (v) => v.replace(/[a-z]/, (c) => c.toUpperCase())],
    ["a character appended", (v) => `${v}A`],
    ["a character replaced", (v) => `${v.slice(0, 5)}${v[5] === "Q" ? "R" : "Q"}${v.slice(6)}`],
    ["the last ':' removed", (v) => v.replace(/:([\w-]+)$/, "$1")],
    ["the signature truncated", (v) => v.slice(0, -4)],
  ],
  largeDataLength: 3000,
  ownSalt: SIGNED_COOKIES_SALT,
});

const { open, cookieFor, read } = cookieSessions(SessionStore);

/** What Django's `signing.loads` finds in a value under `key` and this engine's salt. */
const djangoLoads = (value: string, key = COOKIE_SECRET) =>
  loads(value, { key, salt: SIGNED_COOKIES_SALT });

describe("signed_cookies: the cookie", () => {
  it("is Django's signing.dumps of the data under the signed_cookies salt", async () => {
    const value = await cookieFor({ pet: "Biscuit", visits: 2 });
    expect(value).toMatch(/^[\w-]+:[0-9A-Za-z]+:[\w-]{43}$/);
    expect(djangoLoads(value)).toEqual({ pet: "Biscuit", visits: 2 });
  });

  it("is zlib-compressed when the data repeats: the payload then starts with '.'", async () => {
    const data = { epitaph: "a very good dog, ".repeat(200) };
    const value = await cookieFor(data);
    expect(value.startsWith(".")).toBe(true);
    expect(value.length).toBeLessThan(JSON.stringify(data).length / 10);
    expect(await open(value).get("epitaph")).toBe(data.epitaph);
  });

  it("cycleKey re-signs the same data", async () => {
    const session = open(await cookieFor({ x: 1 }));
    await session.cycleKey();
    expect(djangoLoads(session.sessionKey!)).toEqual({ x: 1 });
  });
});

describe("signed_cookies: the 4096-byte limit", () => {
  it("counts the value as Next.js writes it, each ':' percent-encoded", () => {
    expect(cookieBytes("sessionid", "abc:def:ghi")).toBe("sessionid=abc%3Adef%3Aghi".length);
  });
});

describe("signed_cookies: tampered, foreign and corrupt cookies", () => {
  it(`a decompression bomb signed with the real key is refused without inflating past SESSION_MAX_SIZE (${DEFAULT_SESSION_MAX_SIZE} bytes)`, async () => {
    const huge = Buffer.from(`{"a":"${"a".repeat(DEFAULT_SESSION_MAX_SIZE + 1)}"}`);
    const payload = `.${b64Encode(deflateSync(huge, { level: 9 }))}`;
    const signer = new TimestampSigner({ key: COOKIE_SECRET, salt: SIGNED_COOKIES_SALT });
    const { items, lines } = await read(signer.sign(payload));
    expect(items).toEqual([]);
    expect(lines).toEqual([
      expect.stringMatching(
        /^sessions\.security: Session cookie larger than SESSION_MAX_SIZE allows/,
      ),
    ]);
  });
});

describe("signed_cookies: rotating SECRET_KEY", () => {
  it("a cookie re-issued after a fallback key opened it is Django's signing.dumps under SECRET_KEY alone", async () => {
    const old = await cookieFor({ pet: "Biscuit" }, { SECRET_KEY: RETIRED_SECRET });
    const { session } = await read(old, { SECRET_KEY_FALLBACKS: [RETIRED_SECRET] });
    await session.save();
    const reissued = session.sessionKey!;
    expect(djangoLoads(reissued)).toEqual({ pet: "Biscuit" });
    expect(() => djangoLoads(reissued, RETIRED_SECRET)).toThrow(BadSignature);
  });
});

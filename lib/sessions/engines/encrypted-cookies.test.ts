import { createHmac } from "node:crypto";
import { sealData } from "iron-session";
import { describe, expect, it } from "vitest";
import { sessionContract } from "../testing/contract";
import {
  COOKIE_AGE,
  COOKIE_SECRET,
  cookieEngineContract,
  cookieSessions,
  freezeClock,
  RETIRED_SECRET,
  T0,
} from "../testing/cookie-contract";
import { SessionStore } from "./encrypted-cookies";

/** The `*`-separated fields of an iron seal (its `~2` version suffix removed). */
const fields = (seal: string) => seal.replace(/~2$/, "").split("*");
const PASSWORD_ID = 1;
const CIPHERTEXT = 4;
const EXPIRY = 5;
const MAC = 7;

/** Changes field `index` of the seal with `change`. */
const inField =
  (index: number, change: (field: string) => string) =>
  (seal: string): string => {
    const parts = fields(seal);
    parts[index] = change(parts[index]!);
    return `${parts.join("*")}~2`;
  };

sessionContract("encrypted_cookies", "cookie", async () => ({ Store: SessionStore, settings: {} }));

cookieEngineContract("encrypted_cookies", SessionStore, {
  tampering: [
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
  ],
  largeDataLength: 2500,
});

const { open, cookieFor, read } = cookieSessions(SessionStore);

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
});

describe("encrypted_cookies: tampered, foreign and corrupt cookies", () => {
  it("a seal made with another password is refused", async () => {
    const foreign = await sealData(
      { at: Math.floor(Date.now() / 1000), data: { user: "42" } },
      { password: COOKIE_SECRET },
    );
    const { items, lines } = await read(foreign);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it("a seal under the engine's own password but not made by the engine is refused", async () => {
    const password = createHmac("sha256", COOKIE_SECRET)
      .update("sessions.encrypted-cookies")
      .digest("hex");
    const id = fields(await cookieFor({ x: 1 }))[PASSWORD_ID]!;
    const bare = await sealData({ user: "42" }, { password: { [id]: password } });
    const { items, lines } = await read(bare);
    expect(items).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});

describe("encrypted_cookies: rotating SECRET_KEY", () => {
  it("a seal names its password by an id that depends on the secret alone, not its position", async () => {
    const retired = { SECRET_KEY: RETIRED_SECRET };
    const rotated = { SECRET_KEY: COOKIE_SECRET, SECRET_KEY_FALLBACKS: [RETIRED_SECRET] };
    const id = fields(await cookieFor({ x: 1 }, retired))[PASSWORD_ID];
    expect(fields(await cookieFor({ x: 1 }, retired))[PASSWORD_ID]).toBe(id);
    expect(fields(await cookieFor({ x: 1 }, rotated))[PASSWORD_ID]).not.toBe(id);
  });
});

describe("encrypted_cookies: expiry", () => {
  freezeClock();

  it("the seal carries iron's own TTL of SESSION_COOKIE_AGE", async () => {
    const value = await cookieFor({ x: 1 });
    expect(Number(fields(value)[EXPIRY])).toBe(T0 + COOKIE_AGE * 1000);
  });
});

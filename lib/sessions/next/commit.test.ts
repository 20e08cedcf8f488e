import { describe, expect, it } from "vitest";
import { settings } from "@/lib/settings";
import { SessionInterrupted } from "../errors";
import { withSettings } from "../testing/contract";
import { SessionStore as MemoryStore } from "../testing/memory-engine";
import { commitSession } from "./commit";
import { deletionCookie, readSessionCookie, serializeCookie, sessionCookie } from "./cookie";

const config = settings();
const commit = (
  session: InstanceType<typeof MemoryStore>,
  hadCookie: boolean,
  status = 200,
  extra = {},
) => commitSession({ session, hadCookie, status, settings: { ...config, ...extra } });

async function savedSession() {
  const session = new MemoryStore();
  await session.set("visits", 1);
  await session.save();
  return new MemoryStore(session.sessionKey);
}

describe("commitSession (Django's SessionMiddleware.process_response)", () => {
  it("does nothing for a session nobody touched", async () => {
    expect(await commit(new MemoryStore(), false)).toEqual({ cookie: null, varyOnCookie: false });
  });

  it("varies on Cookie, and sets nothing, when the session was only read", async () => {
    const session = await savedSession();
    await session.get("visits");
    expect(await commit(session, true)).toEqual({ cookie: null, varyOnCookie: true });
  });

  it("saves a modified session and sends its key with Max-Age from getExpiryAge", async () => {
    const session = new MemoryStore();
    await session.set("visits", 1);
    await session.setExpiry(600);
    const { cookie, varyOnCookie } = await commit(session, false);
    expect(varyOnCookie).toBe(true);
    expect(cookie).toMatchObject({ name: "sessionid", value: session.sessionKey, maxAge: 600 });
    expect(await new MemoryStore(session.sessionKey).get("visits")).toBe(1);
  });

  it("sends a browser-session cookie, without Max-Age or Expires, for expiry 0", async () => {
    const session = new MemoryStore();
    await session.setExpiry(0);
    await session.set("visits", 1);
    const { cookie } = await commit(session, false);
    expect(cookie).toMatchObject({ maxAge: null, expires: null });
    expect(serializeCookie(cookie!)).not.toMatch(/Max-Age|expires/i);
  });

  it("deletes the cookie of a session that is now empty", async () => {
    const session = await savedSession();
    await session.flush();
    expect(await commit(session, true)).toEqual({
      cookie: deletionCookie(config),
      varyOnCookie: true,
    });
  });

  it("saves nothing and sends nothing for a 5xx response", async () => {
    const session = new MemoryStore();
    await session.set("visits", 1);
    expect(await commit(session, false, 503)).toEqual({ cookie: null, varyOnCookie: true });
    expect(session.sessionKey).toBeNull();
  });

  it("re-saves an unmodified session with SESSION_SAVE_EVERY_REQUEST", async () => {
    const session = await savedSession();
    const { cookie } = await commit(session, true, 200, { SESSION_SAVE_EVERY_REQUEST: true });
    expect(cookie).toMatchObject({ value: session.sessionKey, maxAge: config.SESSION_COOKIE_AGE });
  });

  it("deletes the cookie of an unknown key with SESSION_SAVE_EVERY_REQUEST, storing nothing", async () => {
    const session = new MemoryStore("unknownkey12345678");
    const { cookie } = await commit(session, true, 200, { SESSION_SAVE_EVERY_REQUEST: true });
    expect(cookie).toEqual(deletionCookie(config));
    expect(await new MemoryStore().exists("unknownkey12345678")).toBe(false);
    expect(session.sessionKey).toBeNull();
  });

  it("turns a save that finds its session deleted into SessionInterrupted", async () => {
    const session = await savedSession();
    await session.set("visits", 2);
    await new MemoryStore(session.sessionKey).flush();
    await expect(commit(session, true)).rejects.toThrow(SessionInterrupted);
  });
});

describe("the session cookie", () => {
  const attributes = {
    ...config,
    SESSION_COOKIE_DOMAIN: "example.test",
    SESSION_COOKIE_SECURE: true,
    SESSION_COOKIE_SAMESITE: "Strict" as const,
  };

  it("is written in Django's order with every attribute from the settings", () => {
    const cookie = sessionCookie(attributes, "abc", 60, Date.UTC(2030, 0, 1));
    expect(serializeCookie(cookie)).toBe(
      "sessionid=abc; expires=Tue, 01 Jan 2030 00:01:00 GMT; Max-Age=60; Domain=example.test; Path=/; Secure; HttpOnly; SameSite=Strict",
    );
  });

  it("is deleted with the same name, Domain, Path and SameSite", () => {
    expect(serializeCookie(deletionCookie(attributes))).toBe(
      "sessionid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Domain=example.test; Path=/; Secure; HttpOnly; SameSite=Strict",
    );
  });

  it("omits SameSite when the setting is false", () => {
    const cookie = sessionCookie({ ...config, SESSION_COOKIE_SAMESITE: false }, "abc", null);
    expect(serializeCookie(cookie)).not.toContain("SameSite");
  });

  it.each([
    ["sessionid=abc", "abc"],
    ["other=1; sessionid=abc; sessionid=def", "abc"],
    ["sessionid=a%3Ab", "a:b"],
    ["sessionid=%E0%A4%A", null],
    ["sessionids=abc", null],
    ["", null],
  ])("reads %j as %j", (header, expected) => {
    expect(readSessionCookie(header, "sessionid")).toBe(expected);
  });
});

describe("a session bound to other settings", () => {
  it("uses the cookie name of its settings", async () => {
    const Store = withSettings(MemoryStore, { SESSION_COOKIE_NAME: "memorial" });
    const session = new Store();
    await session.set("x", 1);
    const { cookie } = await commitSession({
      session,
      hadCookie: false,
      status: 200,
      settings: { ...config, SESSION_COOKIE_NAME: "memorial" },
    });
    expect(cookie?.name).toBe("memorial");
  });
});

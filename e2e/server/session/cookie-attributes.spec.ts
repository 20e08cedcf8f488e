import { ENGINES, expect, serverFor, test } from "./fixtures";
import { expires, isDeletion, maxAge } from "./set-cookie";
import { Visitor } from "./visitor";

/**
 * The cookie's attributes come from the settings, on the cookie that
 * carries a session and on the one that deletes it. Once per engine, with
 * the production defaults and then with every setting changed.
 */
for (const engine of ENGINES) {
  test.describe(`default cookie settings with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {});

    test("the cookie is sessionid, Secure, HttpOnly, SameSite=Lax, Path=/, two weeks", async () => {
      const reply = await new Visitor(server().url).get("/testing/session/write");
      const cookie = reply.sessionCookie!;
      expect(cookie.name).toBe("sessionid");
      expect(cookie.value).not.toBe("");
      // Secure by default because NODE_ENV=production.
      expect([...cookie.attributes.keys()].sort()).toEqual(
        ["expires", "httponly", "max-age", "path", "samesite", "secure"].sort(),
      );
      expect(cookie.attributes.get("path")).toBe("/");
      expect(cookie.attributes.get("samesite")).toBe("Lax");
      expect(maxAge(cookie)).toBe(1_209_600);
      const expectedExpiry = Date.now() + 1_209_600_000;
      expect(Math.abs(expires(cookie)!.getTime() - expectedExpiry)).toBeLessThan(10_000);
    });
  });

  test.describe(`custom cookie settings with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {
      SESSION_COOKIE_NAME: "evermore_visit",
      SESSION_COOKIE_DOMAIN: "evermore.test",
      SESSION_COOKIE_PATH: "/testing",
      SESSION_COOKIE_SECURE: "false",
      SESSION_COOKIE_HTTPONLY: "false",
      SESSION_COOKIE_SAMESITE: "Strict",
      SESSION_EXPIRE_AT_BROWSER_CLOSE: "true",
    });
    const visitor = () => new Visitor(server().url, "evermore_visit");

    test("the cookie carries the configured name, Domain, Path and SameSite, and nothing else", async () => {
      const reply = await visitor().get("/testing/session/write");
      const cookie = reply.sessionCookie!;
      expect(cookie.value).not.toBe("");
      // SESSION_EXPIRE_AT_BROWSER_CLOSE: no Max-Age and no Expires; Secure and HttpOnly are off.
      expect(Object.fromEntries(cookie.attributes)).toEqual({
        domain: "evermore.test",
        path: "/testing",
        samesite: "Strict",
      });
    });

    test("the deletion cookie names the same Domain, Path and SameSite", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      const reply = await someone.get("/testing/session/flush");
      const cookie = reply.sessionCookie!;
      expect(isDeletion(cookie)).toBe(true);
      expect(cookie.attributes.get("domain")).toBe("evermore.test");
      expect(cookie.attributes.get("path")).toBe("/testing");
      expect(cookie.attributes.get("samesite")).toBe("Strict");
    });

    test("the session is read from the configured cookie name only", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      expect(JSON.parse((await someone.get("/testing/session/read")).text)).toEqual({ visits: 1 });
      // The same value under the default name is not this site's session cookie.
      const stranger = new Visitor(server().url, "sessionid");
      stranger.cookie = someone.cookie;
      expect(JSON.parse((await stranger.get("/testing/session/read")).text)).toEqual({
        visits: null,
      });
    });

    test("a browser-session cookie's session is still kept only SESSION_COOKIE_AGE on the server", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      expect((await someone.state()).expireAtBrowserClose).toBe(true);
      // Django keeps such a session for SESSION_COOKIE_AGE, whatever the browser does.
      expect((await someone.state()).expiryAge).toBe(1_209_600);
    });
  });
}

test.describe("a __Host- cookie name", () => {
  const engine = ENGINES.find((candidate) => candidate.name === "db")!;
  const server = serverFor(engine, { SESSION_COOKIE_NAME: "__Host-sessionid" });

  test("works: Secure, Path=/, no Domain, and the session reads back", async () => {
    const visitor = new Visitor(server().url, "__Host-sessionid");
    const reply = await visitor.get("/testing/session/write");
    const cookie = reply.sessionCookie!;
    expect(cookie.name).toBe("__Host-sessionid");
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
    expect(JSON.parse((await visitor.get("/testing/session/read")).text)).toEqual({ visits: 1 });
  });
});

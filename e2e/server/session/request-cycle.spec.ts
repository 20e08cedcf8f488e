import { ENGINES, expect, serverFor, test } from "./fixtures";
import { isDeletion } from "./set-cookie";
import { storedSessions } from "./stored";
import { Visitor } from "./visitor";

/**
 * Django's SessionMiddleware rules, over HTTP against `next start`, once per
 * engine, with the default settings. The routes are
 * app/testing/session/[op]/route.ts (Route Handlers wrapped with withSession).
 */
for (const engine of ENGINES) {
  test.describe(`the request cycle with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {});
    const visitor = () => new Visitor(server().url);

    /** A visitor whose session holds visits: 1. */
    async function returningVisitor(): Promise<Visitor> {
      const someone = visitor();
      await someone.get("/testing/session/write");
      expect(someone.cookie).not.toBeNull();
      return someone;
    }

    test("a request without the cookie never touches the store", async ({ services }) => {
      test.skip(engine.inCookie, "the cookie is the store: there is nothing else to touch");
      const before = await storedSessions(engine, server(), services);
      for (const op of ["nothing", "read", "state", "flush", "fail"]) {
        const reply = await visitor().get(`/testing/session/${op}`);
        expect(reply.sessionCookies, op).toEqual([]);
      }
      await visitor().getPage("/testing/session");
      expect(await storedSessions(engine, server(), services)).toBe(before);
      // The count can change: a write is seen.
      await returningVisitor();
      expect(await storedSessions(engine, server(), services)).toBe(before! + 1);
    });

    test("a request that does not touch the session gets no cookie and no Vary", async () => {
      const someone = await returningVisitor();
      const reply = await someone.get("/testing/session/nothing");
      expect(reply.sessionCookies).toEqual([]);
      expect(reply.headers.get("vary") ?? "").not.toMatch(/\bcookie\b/i);
    });

    test("a request that only reads gets no cookie, and Vary: Cookie", async () => {
      const someone = await returningVisitor();
      const reply = await someone.get("/testing/session/read");
      expect(JSON.parse(reply.text)).toEqual({ visits: 1 });
      expect(reply.sessionCookies).toEqual([]);
      expect(reply.headers.get("vary")).toMatch(/\bcookie\b/i);
    });

    test("a write sets the cookie, never cacheable by a shared cache", async () => {
      const someone = visitor();
      const reply = await someone.get("/testing/session/write");
      expect(reply.sessionCookie).not.toBeNull();
      expect(reply.headers.get("vary")).toMatch(/\bcookie\b/i);
      const cacheControl = reply.headers.get("cache-control") ?? "";
      expect(cacheControl).toMatch(/\b(private|no-store)\b/);
      expect(cacheControl).not.toMatch(/\b(public|s-maxage)\b/);
      expect(JSON.parse((await someone.get("/testing/session/write")).text)).toEqual({ visits: 2 });
    });

    test("flush deletes the cookie with the same Path and SameSite", async () => {
      const someone = await returningVisitor();
      const reply = await someone.get("/testing/session/flush");
      expect(reply.sessionCookie).not.toBeNull();
      expect(isDeletion(reply.sessionCookie!)).toBe(true);
      expect(reply.sessionCookie!.attributes.get("path")).toBe("/");
      expect(reply.sessionCookie!.attributes.get("samesite")).toBe("Lax");
      expect(someone.cookie).toBeNull();
    });

    test("after flush, a copy of the old cookie opens an empty session", async () => {
      test.skip(
        engine.inCookie,
        "a cookie engine keeps no record to delete: a copy of the old cookie stays valid until it expires, as in Django",
      );
      const someone = await returningVisitor();
      const oldCookie = someone.cookie;
      await someone.get("/testing/session/flush");
      someone.cookie = oldCookie;
      expect((await someone.state()).items).toEqual({});
    });

    test("cycleKey sends a new key with the same data", async () => {
      const someone = await returningVisitor();
      const oldCookie = someone.cookie;
      const reply = await someone.get("/testing/session/cycle");
      expect(reply.sessionCookie?.value).toBeTruthy();
      // A signed cookie is its data: signed again within the same second it is the same
      // string (as in Django). Every other engine must hand out a new key.
      if (engine.name !== "signed_cookies") expect(reply.sessionCookie!.value).not.toBe(oldCookie);
      expect((await someone.state()).items).toEqual({ visits: 1 });
    });

    for (const op of ["fail", "throw"]) {
      test(`a handler that ${op === "fail" ? "answers 500" : "throws"} saves nothing and sets no cookie`, async () => {
        const someone = await returningVisitor();
        const reply = await someone.get(`/testing/session/${op}`);
        expect(reply.status).toBe(500);
        expect(reply.sessionCookies).toEqual([]);
        expect((await someone.state()).items).toEqual({ visits: 1 });
        // Without a cookie, still none: a failed request creates no session.
        expect((await visitor().get(`/testing/session/${op}`)).sessionCookies).toEqual([]);
      });
    }

    test("a session deleted while the request ran answers 400 and stays deleted", async () => {
      test.skip(
        engine.inCookie,
        "a cookie engine has no record another request could delete: the request's own cookie is the session",
      );
      const someone = await returningVisitor();
      const reply = await someone.get("/testing/session/interrupt");
      expect(reply.status).toBe(400);
      expect(reply.text).toContain("Your session ended while this request was running");
      expect(reply.sessionCookies).toEqual([]);
      expect((await someone.state()).items).toEqual({});
    });

    test("a browser-close session's cookie has neither Max-Age nor Expires", async () => {
      const someone = visitor();
      const reply = await someone.get("/testing/session/browser-close");
      expect(reply.sessionCookie).not.toBeNull();
      expect(reply.sessionCookie!.attributes.has("max-age")).toBe(false);
      expect(reply.sessionCookie!.attributes.has("expires")).toBe(false);
      expect((await someone.state()).expireAtBrowserClose).toBe(true);
    });

    test("an expired session reads as empty, and a write gets a new key", async () => {
      const someone = visitor();
      const reply = await someone.get("/testing/session/expire-in-2s");
      expect(reply.sessionCookie?.attributes.get("max-age")).toBe("2");
      const expiredCookie = someone.cookie;
      expect((await someone.state()).items).toEqual({ visits: 1, _session_expiry: 2 });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // The browser would have dropped it; a replayed copy must not work either.
      expect((await someone.state()).items).toEqual({});
      const write = await someone.get("/testing/session/write");
      expect(JSON.parse(write.text)).toEqual({ visits: 1 });
      expect(write.sessionCookie!.value).not.toBe(expiredCookie);
    });
  });
}

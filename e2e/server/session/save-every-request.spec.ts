import { ENGINES, expect, serverFor, test } from "./fixtures";
import { isDeletion, maxAge } from "./set-cookie";
import { Visitor } from "./visitor";

const AGE = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SESSION_SAVE_EVERY_REQUEST: every request that carries the cookie saves
 * the session and sends the cookie again, so a short session lives as long
 * as its visitor is active. Route Handlers do it themselves (withSession),
 * page renders through proxy.ts (refreshSession). Once per engine, with a
 * four-second session and SameSite=None.
 *
 * The idle visitors write as their group starts, and their tests wait only
 * for what is left of the session's age: the tests before them (the active
 * visitor's alone takes six seconds) have spent most of it.
 */
for (const engine of ENGINES) {
  test.describe(`SESSION_SAVE_EVERY_REQUEST with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {
      SESSION_SAVE_EVERY_REQUEST: "true",
      SESSION_COOKIE_AGE: String(AGE),
      SESSION_COOKIE_SAMESITE: "None",
    });
    const visitor = () => new Visitor(server().url);

    let idle: { route: Visitor; page: Visitor; since: number };
    test.beforeAll(async () => {
      idle = { route: visitor(), page: visitor(), since: 0 };
      await idle.route.get("/testing/session/write");
      await idle.page.get("/testing/session/write");
      idle.since = Date.now();
    });
    /** Waits until the idle visitors' sessions have expired, with a second to spare. */
    const untilIdleExpired = () => sleep(idle.since + (AGE + 1) * 1000 - Date.now());

    test("SameSite=None comes with Secure", async () => {
      const cookie = (await visitor().get("/testing/session/write")).sessionCookie!;
      expect(cookie.attributes.get("samesite")).toBe("None");
      expect(cookie.attributes.has("secure")).toBe(true);
    });

    test("a request that only reads sends the cookie again, with a fresh expiry", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      const reply = await someone.get("/testing/session/read");
      expect(maxAge(reply.sessionCookie!)).toBe(AGE);
      expect(JSON.parse(reply.text)).toEqual({ visits: 1 });
    });

    test("an active visitor keeps a short session past its age", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      // Route handlers and page renders alternate: both must slide the expiry.
      for (let second = 0; second < AGE + 2; second++) {
        await sleep(1000);
        const reply =
          second % 2
            ? await someone.get("/testing/session/nothing")
            : await someone.getPage("/testing/session");
        expect(maxAge(reply.sessionCookie!), `after ${second + 1} s`).toBe(AGE);
      }
      expect((await someone.state()).items).toEqual({ visits: 1 });
    });

    test("an idle session expires, and its cookie is deleted", async () => {
      await untilIdleExpired();
      const reply = await idle.route.get("/testing/session/read");
      expect(JSON.parse(reply.text)).toEqual({ visits: null });
      expect(isDeletion(reply.sessionCookie!)).toBe(true);
    });

    test("an idle session's cookie is deleted on a page render too", async () => {
      await untilIdleExpired();
      const reply = await idle.page.getPage("/testing/session");
      expect(isDeletion(reply.sessionCookie!)).toBe(true);
      expect(reply.text).toContain(`<output id="visits">none</output>`);
    });

    test("a page render and a client navigation each get exactly one cookie", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      for (const reply of [
        await someone.getPage("/testing/session"),
        // With no router state, `?_rsc` is the cache-busting parameter Next expects.
        await someone.get("/testing/session?_rsc", { rsc: "1" }),
      ]) {
        expect(reply.status).toBe(200);
        expect(reply.sessionCookies).toHaveLength(1);
        expect(maxAge(reply.sessionCookie!)).toBe(AGE);
      }
    });

    test("a page that refreshes the cookie is kept out of shared caches", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      // proxy.ts marks the response private itself: a prerendered page would otherwise
      // carry Next's `s-maxage` (lib/sessions/next/headers.test.ts covers that case).
      const reply = await someone.getPage("/");
      expect(reply.status).toBe(200);
      expect(maxAge(reply.sessionCookie!)).toBe(AGE);
      const cacheControl = reply.headers.get("cache-control") ?? "";
      expect(cacheControl).toMatch(/\b(private|no-store)\b/);
      expect(cacheControl).not.toMatch(/\b(public|s-maxage)\b/);
    });

    test("a route handler loaded as a page gets one cookie, its own", async () => {
      const someone = visitor();
      await someone.get("/testing/session/write");
      // A browser asks for HTML: the proxy must still leave the handler's commit alone.
      const flush = await someone.getPage("/testing/session/flush");
      expect(flush.sessionCookies).toHaveLength(1);
      expect(isDeletion(flush.sessionCookie!)).toBe(true);
    });

    test("a request without the cookie gets none", async () => {
      for (const reply of [
        await visitor().getPage("/testing/session"),
        await visitor().get("/testing/session/read"),
      ])
        expect(reply.sessionCookies).toEqual([]);
    });
  });
}

import { freshPostgresDatabase } from "../../../test/harness/databases";
import type { Service } from "../../../test/harness/services";
import { startMemcached, startPostgres, startRedis } from "../../../test/harness/services";
import type { AppServer } from "../session/app-server";
import { startAppServer } from "../session/app-server";
import { expect, test } from "../session/fixtures";
import type { Visitor } from "../session/visitor";
import { newVisitors, sleep, startTraffic } from "./traffic";

/**
 * Real faults under real traffic: the cache server killed and restarted,
 * the database server stopped. A store that is away costs the visitor a 503
 * (or nothing, for cached_db), never their cookie, and never a hung request.
 */

/** How long any request may take while a store is away: the cache timeout (1 s) plus slack for a loaded machine. */
const BOUND_MS = 3000;

const CACHES = { Redis: startRedis, memcached: startMemcached };

test.describe("a cache server killed mid-traffic, then restarted", () => {
  for (const engine of ["cache", "cached_db"] as const)
    for (const [cacheName, startCache] of Object.entries(CACHES))
      test(`SESSION_ENGINE=${engine} on ${cacheName}`, async ({ services }) => {
        test.setTimeout(120_000);
        let cache: Service = await startCache();
        const port = Number(new URL(cache.url).port);
        let server: AppServer | undefined;
        try {
          server = await startAppServer(
            { SESSION_ENGINE: engine, CACHE_DEFAULT_URL: cache.url },
            services.templateDatabase,
          );
          const traffic = startTraffic(server.url, newVisitors(server.url, 4));
          await sleep(1500);
          await cache.stop();
          const outageStart = traffic.exchanges.length;
          await sleep(2500);
          const outageEnd = traffic.exchanges.length;
          cache = await startCache({ port });
          await sleep(3000);
          await traffic.stop();

          const { exchanges } = traffic;
          expect(outageEnd - outageStart, "requests during the outage").toBeGreaterThan(4);
          for (const exchange of exchanges) expect(exchange.ms).toBeLessThan(BOUND_MS);
          if (engine === "cached_db") {
            // The database answers: zero failed requests, and no count ever goes back.
            expect(exchanges.filter((exchange) => exchange.status !== 200)).toEqual([]);
            for (let visitor = 0; visitor < 4; visitor++) {
              const counts = exchanges
                .filter((exchange) => exchange.visitor === visitor && exchange.op === "write")
                .map((exchange) => JSON.parse(exchange.reply.text).visits as number);
              expect(counts).toEqual(counts.map((_, i) => i + 1));
            }
          } else {
            const failed = exchanges.filter((exchange) => exchange.status !== 200);
            expect(failed.length).toBeGreaterThan(0);
            for (const exchange of failed) {
              expect(exchange.status).toBe(503);
              // The visitor keeps the cookie they came with: no deletion, no new key.
              expect(exchange.reply.sessionCookies).toEqual([]);
            }
            // Traffic recovered: the last request of every visitor succeeded.
            for (let visitor = 0; visitor < 4; visitor++) {
              const last = exchanges.filter((exchange) => exchange.visitor === visitor).at(-1);
              expect(last?.status).toBe(200);
            }
          }
        } finally {
          await server?.stop();
          await cache.stop();
        }
      });
});

test.describe("the database server stopped", () => {
  let postgres: Service;
  let server: AppServer | undefined;
  /** Someone with a saved session, and someone new; both on the `db` engine on PostgreSQL. */
  let returning: Visitor;
  let newcomer: Visitor;
  let cookie: string | null;

  test.beforeEach(async ({ services }) => {
    test.setTimeout(120_000);
    server = undefined;
    postgres = await startPostgres();
    const database = await freshPostgresDatabase(postgres.url);
    server = await startAppServer(
      { SESSION_ENGINE: "db", DATABASE_URL: database.url },
      services.templateDatabase,
    );
    [returning, newcomer] = newVisitors(server.url, 2) as [Visitor, Visitor];
    expect((await returning.get("/testing/session/write")).status).toBe(200);
    cookie = returning.cookie;
  });

  test.afterEach(async () => {
    await server?.stop();
    await postgres.stop();
  });

  test("db on PostgreSQL: a clear 503 page, no Set-Cookie, no new key", async () => {
    await postgres.stop();
    for (const [visitor, op] of [
      [returning, "read"],
      [returning, "write"],
      [newcomer, "write"],
    ] as const) {
      const started = performance.now();
      const reply = await visitor.get(`/testing/session/${op}`);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(reply.status).toBe(503);
      expect(reply.text).toContain("We could not reach your session just now");
      expect(reply.sessionCookies).toEqual([]);
    }
    expect(returning.cookie).toBe(cookie);
    expect(newcomer.cookie).toBeNull();
  });

  test("db on PostgreSQL: pages and Server Actions lead to the same 503 page", async ({
    browser,
  }) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server!.url}/?from=home`);
      await postgres.stop();

      // A page render cannot answer 503 itself: it redirects to the page that does,
      // which offers to try again where the visitor was.
      const render = await returning.getPage("/memorials?sort=newest");
      expect(render.status).toBe(307);
      expect(render.headers.get("location")).toBe(
        "/session-unavailable?from=%2Fmemorials%3Fsort%3Dnewest",
      );
      expect(render.sessionCookies).toEqual([]);
      const unavailable = await returning.getPage(render.headers.get("location")!);
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get("retry-after")).toBe("5");
      expect(unavailable.text).toContain("We could not reach your session just now");
      expect(unavailable.text).toContain('<a href="/memorials?sort=newest">Try again</a>');
      expect(returning.cookie).toBe(cookie);

      // A newcomer's render never touches the store: the home page still works for them.
      const home = await newcomer.getPage("/");
      expect(home.status).toBe(200);
      expect(home.sessionCookies).toEqual([]);
      // A page that needs the database itself fails on our side, and says so kindly.
      const stranger = await browser.newPage();
      const memorial = await stranger.goto(`${server!.url}/m/biscuit`);
      expect(memorial?.status()).toBe(500);
      await expect(stranger.getByRole("heading", { level: 1 })).toHaveText(
        "Something went wrong on our side.",
      );
      await stranger.close();

      // A Server Action whose save fails: the same page, in the browser, and no cookie.
      await page.getByLabel("What should we call you?").fill("Ada");
      await page.getByRole("button", { name: "Remember me" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        "We could not reach your session just now",
      );
      await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute(
        "href",
        "/?from=home",
      );
      expect((await context.cookies()).filter((c) => c.name === "sessionid")).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

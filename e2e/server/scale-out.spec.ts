import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { newEmail, signUp } from "../fixtures/accounts";
import type { TestDatabase } from "../../test/harness/databases";
import { freshPostgresDatabase } from "../../test/harness/databases";
import type { Service } from "../../test/harness/services";
import { startPostgres } from "../../test/harness/services";
import type { AppServer } from "./session/app-server";
import { startAppServer } from "./session/app-server";
import { expect, test } from "./session/fixtures";
import { Visitor } from "./session/visitor";

/**
 * Two `next start` instances behind one imaginary load balancer, sharing
 * Redis and PostgreSQL and one SECRET_KEY: whichever instance a request
 * lands on, the visitor has the same session.
 */

const ENGINES = ["db", "cache", "cached_db"] as const;

test.describe("two instances sharing Redis and PostgreSQL", () => {
  let postgres: Service;
  let database: TestDatabase;
  const instances: AppServer[] = [];
  // Every instance must sign with the same key; npm test's own key when there is one.
  const secretKey = process.env.SECRET_KEY || randomBytes(32).toString("base64url");

  test.beforeAll(async () => {
    postgres = await startPostgres();
    database = await freshPostgresDatabase(postgres.url);
  });

  test.afterAll(async () => {
    await database?.drop();
    await postgres?.stop();
  });

  test.afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.stop()));
  });

  /** One instance with its own settings over the shared database. */
  async function instance(env: Record<string, string>, templateDatabase: string) {
    const started = await startAppServer({ DATABASE_URL: database.url, ...env }, templateDatabase);
    instances.push(started);
    return started;
  }

  /** Two instances of one configuration, signing with one key. */
  async function twoInstances(env: Record<string, string>, templateDatabase: string) {
    const shared = { SECRET_KEY: secretKey, ...env };
    return Promise.all([instance(shared, templateDatabase), instance(shared, templateDatabase)]);
  }

  for (const engine of ENGINES) {
    test(`SESSION_ENGINE=${engine}: created on one, read, changed and logged out on the other`, async ({
      services,
    }) => {
      test.setTimeout(90_000);
      const [a, b] = await twoInstances(
        { SESSION_ENGINE: engine, CACHE_DEFAULT_URL: services.redisUrl },
        services.templateDatabase,
      );
      // One visitor whose requests alternate between the instances (absolute URLs).
      const visitor = new Visitor(a.url);
      const visits = async (server: AppServer, op: "read" | "write") => {
        const reply = await visitor.get(`${server.url}/testing/session/${op}`);
        expect(reply.status, `${op} on ${server === a ? "a" : "b"}`).toBe(200);
        return JSON.parse(reply.text).visits as number | null;
      };

      expect(await visits(a, "write")).toBe(1);
      const created = visitor.cookie;
      expect(created).not.toBeNull();
      expect(await visits(b, "read")).toBe(1);
      expect(await visits(b, "write")).toBe(2);
      expect(await visits(a, "read")).toBe(2);
      for (let round = 0; round < 10; round++) await visits(round % 2 ? a : b, "write");
      expect(await visits(a, "read")).toBe(12);
      expect(await visits(b, "read")).toBe(12);

      // A new key on one instance (as at login): the other knows it, and not the old one.
      expect((await visitor.get(`${a.url}/testing/session/cycle`)).status).toBe(200);
      const cycled = visitor.cookie;
      expect(cycled).not.toBe(created);
      expect(await visits(b, "read")).toBe(12);
      const thief = new Visitor(b.url);
      thief.cookie = created;
      expect(JSON.parse((await thief.get("/testing/session/read")).text).visits).toBeNull();

      // Logged out on one: gone on both, and the old cookie opens nothing anywhere.
      const flushed = await visitor.get(`${b.url}/testing/session/flush`);
      expect(flushed.status).toBe(200);
      expect(visitor.cookie).toBeNull();
      for (const server of [a, b]) {
        const replay = new Visitor(server.url);
        replay.cookie = cycled;
        const reply = await replay.get("/testing/session/read");
        expect(JSON.parse(reply.text).visits).toBeNull();
      }
    });
  }

  test("SECRET_KEY rotated across instances with fallbacks: nobody active is logged out", async ({
    services,
    browser,
  }) => {
    test.setTimeout(150_000);
    const oldKey = randomBytes(40).toString("base64url");
    const newKey = randomBytes(40).toString("base64url");
    const config = (key: string, fallbacks: string[]) => ({
      SESSION_ENGINE: "db",
      SECRET_KEY: key,
      SECRET_KEY_FALLBACKS: fallbacks.join(","),
    });
    // Step 1 done everywhere: the new key is known (as a fallback) before anyone signs with it.
    const a = await instance(config(oldKey, [newKey]), services.templateDatabase);
    // Step 2, rolling: this instance signs with the new key and still reads the old one.
    const b = await instance(config(newKey, [oldKey]), services.templateDatabase);
    const active = await browser.newContext();
    const idle = await browser.newContext();
    try {
      const email = newEmail("rotation");
      const page = await active.newPage();
      await signUpAt(page, a.url, email);
      await signUpAt(await idle.newPage(), a.url, newEmail("idle"));

      // Signed with the old key on a; b reads it, and a request there re-signs it with the new key.
      await page.goto(`${b.url}/account`);
      await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
      expect((await page.request.get(`${b.url}/testing/drafts`)).status()).toBe(200);
      await page.goto(`${a.url}/account`);
      await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();

      // Step 3, once the old key's sessions have had time to expire: the old key is gone.
      const c = await instance(config(newKey, []), services.templateDatabase);
      await page.goto(`${c.url}/account`);
      await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
      // A session nobody used during the overlap was still signed with the old key: it is
      // anonymous now, which is why the old key stays a fallback for SESSION_COOKIE_AGE.
      const idlePage = await idle.newPage();
      await idlePage.goto(`${c.url}/account`);
      await expect(idlePage.getByRole("link", { name: "Log in" })).toBeVisible();
    } finally {
      await active.close();
      await idle.close();
    }
  });

  test("SESSION_ENGINE=cached_db in Chromium: sign up on one, the account on the other, log out there", async ({
    services,
    browser,
  }) => {
    test.setTimeout(120_000);
    const [a, b] = await twoInstances(
      { SESSION_ENGINE: "cached_db", CACHE_DEFAULT_URL: services.redisUrl },
      services.templateDatabase,
    );
    // Both instances are 127.0.0.1: a browser sends them the same cookies (cookies ignore ports).
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const email = newEmail("two-instances");
      await signUpAt(page, a.url, email);
      const loggedIn = (await context.cookies()).find((c) => c.name === "sessionid")?.value;

      await page.goto(`${b.url}/account`);
      await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
      await page.getByRole("button", { name: "Log out", exact: true }).click();
      await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

      await page.goto(`${a.url}/`);
      await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
      // The cookie from before the logout opens nothing on the first instance either.
      const replay = await browser.newContext();
      await replay.addCookies([{ name: "sessionid", value: loggedIn!, url: a.url }]);
      const thief = await replay.newPage();
      await thief.goto(`${a.url}/account`);
      await expect(thief.getByRole("link", { name: "Log in" })).toBeVisible();
      await replay.close();
    } finally {
      await context.close();
    }
  });
});

/** Signs up on one instance: the emailed link leads back to it (its SITE_URL). */
function signUpAt(page: Page, baseUrl: string, email: string) {
  return signUp(page, email, baseUrl);
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test as base } from "@playwright/test";
import { BUILT_IN_ENGINES } from "../../../lib/sessions/settings";
import { applyMigrations } from "../../../scripts/db/engine";
import { startMemcached, startRedis } from "../../../test/harness/services";
import type { AppServer } from "./app-server";
import { startAppServer } from "./app-server";

/** What every session server of a worker shares: the caches and a migrated, empty database. */
export interface Services {
  redisUrl: string;
  memcachedUrl: string;
  templateDatabase: string;
}

export const test = base.extend<object, { services: Services }>({
  services: [
    // Playwright reads a fixture's dependencies from this destructuring: none.
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-session-template-"));
      const templateDatabase = path.join(dir, "template.db");
      await applyMigrations(`file:${templateDatabase}`);
      const redis = await startRedis();
      const memcached = await startMemcached();
      try {
        await use({ redisUrl: redis.url, memcachedUrl: memcached.url, templateDatabase });
      } finally {
        await Promise.all([redis.stop(), memcached.stop()]);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: "worker" },
  ],
});

export { expect } from "@playwright/test";

export interface Engine {
  name: string;
  /** The cookie holds the data: there is no store to look into, and no record to delete. */
  inCookie: boolean;
  env(services: Services): Record<string, string>;
}

/** The cache engines run on both kinds of cache server, one each. */
const CACHE_ON: Record<string, (services: Services) => string> = {
  cache: (services) => services.memcachedUrl,
  cached_db: (services) => services.redisUrl,
};

/** All six built-in engines. */
export const ENGINES: Engine[] = BUILT_IN_ENGINES.map((name) => ({
  name,
  inCookie: name.endsWith("_cookies"),
  env: (services: Services): Record<string, string> => {
    const cache = CACHE_ON[name];
    return { SESSION_ENGINE: name, ...(cache && { CACHE_DEFAULT_URL: cache(services) }) };
  },
}));

/**
 * Inside a `test.describe`: one server for the group, with `engine` and
 * `settings`, started before its first test and stopped after its last.
 * Its tests share it but not their visitors: each starts without a cookie,
 * so one failure says nothing about the next test. Returns a getter.
 */
export function serverFor(engine: Engine, settings: Record<string, string>): () => AppServer {
  let server: AppServer | undefined;
  test.beforeAll(async ({ services }) => {
    test.setTimeout(60_000);
    server = await startAppServer(
      { ...engine.env(services), ...settings },
      services.templateDatabase,
    );
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  test.afterEach(async ({}, testInfo) => {
    if (server && testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach("next start output", { body: server.output() });
  });
  return () => {
    if (!server) throw new Error("the session server has not started");
    return server;
  };
}

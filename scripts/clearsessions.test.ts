import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { databaseFor } from "../lib/db/client";
import type { SessionStoreClass } from "../lib/sessions/engine";
import { SessionStore as DbSessionStore } from "../lib/sessions/engines/db";
import { SessionStore as FileSessionStore } from "../lib/sessions/engines/file";
import { withSettings } from "../lib/sessions/testing/contract";
import type { TestDatabase } from "../test/harness/databases";
import { freshSqliteDatabase } from "../test/harness/databases";
import type { Outcome } from "../test/harness/processes";
import { runToEnd } from "../test/harness/processes";

/**
 * `npm run clearsessions`, run for real as a child process against real
 * stores filled through the engines themselves.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const COMMAND = "npx tsx scripts/clearsessions.ts";

/** Runs the command with `env` on top of the test's environment; `tty` runs it on a pseudo-terminal. */
function clearsessions(env: Record<string, string>, { tty = false } = {}): Promise<Outcome> {
  const [file, args] = tty
    ? ["script", ["--quiet", "--return", "--command", COMMAND, "/dev/null"]]
    : ["npx", ["tsx", "scripts/clearsessions.ts"]];
  return runToEnd(file, args, { cwd: ROOT, env: { ...process.env, ...env } });
}

/** Saves sessions: `expired` already past their expiry, `live` good for the default two weeks. */
async function fill(
  Store: SessionStoreClass,
  { expired, live }: { expired: number; live: number },
) {
  const keys = { expired: [] as string[], live: [] as string[] };
  for (let i = 0; i < expired + live; i++) {
    const session = new Store();
    await session.set("visit", i);
    if (i < expired) await session.setExpiry({ seconds: -60 });
    await session.save();
    keys[i < expired ? "expired" : "live"].push(session.sessionKey!);
  }
  return keys;
}

async function remaining(Store: SessionStoreClass, keys: string[]) {
  const probe = new Store();
  const found = await Promise.all(keys.map((key) => probe.exists(key)));
  return keys.filter((_, i) => found[i]);
}

describe("clearsessions with the file engine", () => {
  let dir: string;
  let Store: SessionStoreClass;
  const env = () => ({ SESSION_ENGINE: "file", SESSION_FILE_PATH: dir });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-clearsessions-"));
    Store = withSettings(FileSessionStore, { SESSION_FILE_PATH: dir });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("removes the expired sessions, keeps the live ones and says how many, exit 0", async () => {
    const keys = await fill(Store, { expired: 3, live: 2 });
    fs.writeFileSync(path.join(dir, "unrelated.txt"), "not a session");

    const { status, stdout } = await clearsessions(env());

    expect(status).toBe(0);
    expect(stdout).toBe("clearsessions: removed 3 expired sessions (engine file)\n");
    expect(await remaining(Store, [...keys.expired, ...keys.live])).toEqual(keys.live);
    expect(fs.existsSync(path.join(dir, "unrelated.txt"))).toBe(true);
  });

  it("says so when nothing has expired", async () => {
    await fill(Store, { expired: 0, live: 1 });
    const { status, stdout } = await clearsessions(env());
    expect(status).toBe(0);
    expect(stdout).toBe("clearsessions: removed 0 expired sessions (engine file)\n");
  });

  it("draws one updating progress line on a terminal, then the total", async () => {
    await fill(Store, { expired: 2, live: 0 });
    const { status, stdout } = await clearsessions(env(), { tty: true });
    expect(status).toBe(0);
    expect(stdout).toContain("\r\x1b[Kclearsessions: removed 1 so far…");
    // A terminal turns "\n" into "\r\n"; npx draws its own spinner around the command.
    expect(stdout).toContain("\r\x1b[Kclearsessions: removed 2 expired sessions (engine file)\r\n");
  });

  it("a missing SESSION_FILE_PATH is an error naming the setting, exit 1", async () => {
    const missing = path.join(dir, "missing");
    const { status, stdout, stderr } = await clearsessions({
      ...env(),
      SESSION_FILE_PATH: missing,
    });
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `clearsessions: sessions: SESSION_FILE_PATH: ${missing} does not exist`,
    );
  });
});

describe("clearsessions with the db engine (SQLite)", () => {
  let database: TestDatabase;
  let Store: SessionStoreClass;

  beforeAll(async () => {
    database = await freshSqliteDatabase();
    Store = withSettings(DbSessionStore, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await databaseFor(database.url).$disconnect();
    await database.drop();
  });

  it("removes the expired rows, keeps the live ones and says how many, exit 0", async () => {
    const keys = await fill(Store, { expired: 4, live: 2 });
    const { status, stdout, stderr } = await clearsessions({
      SESSION_ENGINE: "db",
      DATABASE_URL: database.url,
    });
    expect(stderr).not.toContain("clearsessions:");
    expect(status).toBe(0);
    expect(stdout).toBe("clearsessions: removed 4 expired sessions (engine db)\n");
    expect(await remaining(Store, [...keys.expired, ...keys.live])).toEqual(keys.live);
  });

  it("refuses the generated development key on a database other than the development one", async () => {
    const keys = await fill(Store, { expired: 1, live: 0 });
    const { status, stdout, stderr } = await clearsessions({
      SESSION_ENGINE: "db",
      DATABASE_URL: database.url,
      SECRET_KEY: "",
    });
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^clearsessions: SECRET_KEY is not set, and DATABASE_URL .* is not the development database/,
    );
    expect(status).toBe(1);
    expect(await remaining(Store, keys.expired)).toEqual(keys.expired);
  });
});

describe("clearsessions with engines that keep nothing expired", () => {
  it.each([
    ["signed_cookies", "sessions live in the browser's cookie"],
    ["encrypted_cookies", "sessions live in the browser's cookie"],
    ["cache", "the cache drops expired sessions by itself"],
  ])("%s: nothing to clear, and why, exit 0", async (engine, why) => {
    const { status, stdout } = await clearsessions({
      SESSION_ENGINE: engine,
      CACHE_DEFAULT_URL: inject("services").redisUrl,
    });
    expect(status).toBe(0);
    expect(stdout).toContain(`clearsessions: nothing to clear (engine ${engine}): ${why}`);
  });
});

describe("clearsessions refuses what it cannot do", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-clearsessions-engine-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a custom engine without clearExpired: Django's message, exit 1", async () => {
    const engine = path.join(dir, "no-clear-expired.mjs");
    fs.writeFileSync(engine, "export class SessionStore {}\n");
    const { status, stderr } = await clearsessions({ SESSION_ENGINE: engine });
    expect(status).toBe(1);
    expect(stderr).toContain(
      `clearsessions: Session engine '${engine}' doesn't support clearing expired sessions.`,
    );
  });

  it("invalid settings: the settings message, exit 1", async () => {
    const { status, stdout, stderr } = await clearsessions({ SESSION_COOKIE_AGE: "two weeks" });
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("evermore: invalid settings (fix these environment variables):");
    expect(stderr).toContain(
      'SESSION_COOKIE_AGE: expected a whole number of seconds, got "two weeks"',
    );
  });
});

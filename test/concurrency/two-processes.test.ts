import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../harness/databases";
import { freshSqliteDatabase } from "../harness/databases";
import { withSettings } from "../../lib/sessions/testing/contract";
import { SessionStore as DbStore } from "../../lib/sessions/engines/db";
import { SessionStore as FileStore } from "../../lib/sessions/engines/file";
import type { SessionStoreClass } from "../../lib/sessions/engine";

/**
 * Two processes writing one store at once, as two `next start` instances
 * would: every save succeeds (no "database is locked", no lost file write),
 * and a session both write to keeps every key.
 */
const ROUNDS = 20;
const CONCURRENCY = 10;
const WRITER = path.join(import.meta.dirname, "../workers/session-writer.ts");

interface WriterReport {
  succeeded: number;
  failures: string[];
}

function runWriter(name: string, env: Record<string, string>): Promise<WriterReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER], {
      env: {
        ...process.env,
        ...env,
        WRITER_NAME: name,
        WRITER_ROUNDS: String(ROUNDS),
        WRITER_CONCURRENCY: String(CONCURRENCY),
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", () => {
      const line = output.split("\n").find((text) => text.startsWith("{"));
      if (!line) reject(new Error(`the writer printed no report:\n${output}`));
      else resolve(JSON.parse(line) as WriterReport);
    });
  });
}

async function raceTwoProcesses(Store: SessionStoreClass, env: Record<string, string>) {
  const shared = new Store();
  await shared.set("start", 0);
  await shared.save();
  const key = shared.sessionKey!;
  const reports = await Promise.all(
    ["first", "second"].map((name) => runWriter(name, { ...env, WRITER_SHARED_KEY: key })),
  );
  for (const report of reports) {
    expect(report.failures).toEqual([]);
    expect(report.succeeded).toBe(ROUNDS * CONCURRENCY);
  }
  // Half of each process's requests wrote the shared session, each its own key.
  expect(await new Store(key).keys()).toHaveLength(1 + ROUNDS * CONCURRENCY);
}

describe("two processes writing sessions at once", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("db on SQLite: every save succeeds, nothing is lost", async () => {
    const database: TestDatabase = await freshSqliteDatabase();
    cleanups.push(() => database.drop());
    const env = { SESSION_ENGINE: "db", DATABASE_URL: database.url };
    await raceTwoProcesses(withSettings(DbStore, { DATABASE_URL: database.url }), env);
  }, 120_000);

  it("file: every save succeeds, nothing is lost", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-two-processes-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const env = { SESSION_ENGINE: "file", SESSION_FILE_PATH: dir };
    await raceTwoProcesses(withSettings(FileStore, { SESSION_FILE_PATH: dir }), env);
  }, 120_000);
});

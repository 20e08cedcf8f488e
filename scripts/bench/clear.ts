import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { TestDatabase } from "../../test/harness/databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "../../test/harness/databases";
import type { BenchContext } from "./context";
import { fillDatabase } from "./fill";
import type { Operation } from "./runner";
import { progress, timeFor } from "./runner";
import { sleep } from "../../test/harness/processes";
import { encodedFor, randomLoad, SMALL_STORE } from "./scale";
import type { Summary } from "./stats";
import { summarize } from "./stats";

/**
 * `npm run clearsessions` on a table of `sessions` expired rows and 1,000
 * live ones: how long the command takes (process start included), and the
 * read latency of live sessions while it runs, against the same reads in the
 * seconds just before it started.
 */
export interface ClearResult {
  name: string;
  expired: number;
  seconds: number;
  quiet: Summary;
  during: Summary;
}

const QUIET_MS = 3_000;
/** The pause between two reads of the concurrent traffic. */
const PAUSE_MS = 5;
/** clearsessions is killed (and the benchmark fails, saying so) after this long. */
const CLEAR_DEADLINE_MS = 15 * 60_000;
const ROOT = path.join(import.meta.dirname, "..", "..");

export async function clearBenchmarks(
  context: BenchContext,
  sessions: number,
): Promise<ClearResult[]> {
  const results: ClearResult[] = [];
  const makers: [string, () => Promise<TestDatabase>][] = [
    ["SQLite", freshSqliteDatabase],
    ["PostgreSQL", () => freshPostgresDatabase(context.postgresServerUrl)],
  ];
  for (const [label, make] of makers) {
    const database = await make();
    try {
      results.push(await clearCase(`db (${label})`, database.url, sessions));
    } finally {
      await database.drop();
    }
  }
  return results;
}

async function clearCase(name: string, url: string, sessions: number): Promise<ClearResult> {
  const settings = { DATABASE_URL: url };
  const encoded = await encodedFor("db", settings);
  const past = new Date(Date.now() - 86_400_000);
  const future = new Date(Date.now() + 14 * 86_400_000);
  await fillDatabase(
    url,
    { from: 0, count: sessions, encoded, expireDate: past },
    `${name}, expired`,
  );
  const live = { from: sessions, count: SMALL_STORE, encoded, expireDate: future };
  await fillDatabase(url, live, `${name}, live`);
  const read = await randomLoad("db", settings, SMALL_STORE, sessions);
  progress(`${name}: reading live sessions for ${QUIET_MS / 1000} s before clearsessions`);
  const quiet = await readWhile(read, sleep(QUIET_MS));
  progress(`${name}: clearsessions on ${sessions.toLocaleString("en-US")} expired sessions`);
  const start = performance.now();
  const during = await readWhile(read, runClearsessions(url));
  const seconds = (performance.now() - start) / 1000;
  progress(`${name}: clearsessions took ${seconds.toFixed(1)} s`);
  return {
    name,
    expired: sessions,
    seconds,
    quiet: summarize([quiet]),
    during: summarize([during]),
  };
}

/**
 * Latencies of `read` until `done` settles (its failure is rethrown), with a
 * pause between reads: one visitor after another, not a flood. SQLite runs
 * in WAL mode, so clearsessions makes progress with no pause too; the pause
 * only models the traffic.
 */
async function readWhile(read: Operation, done: Promise<void>): Promise<number[]> {
  let finished = false;
  const settled = done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    latencies.push(...(await timeFor(read, 0)));
    await sleep(PAUSE_MS);
  }
  await settled;
  return latencies;
}

/** The real command, as cron runs it, on the database at `url`. */
function runClearsessions(url: string): Promise<void> {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const env = { ...process.env, DATABASE_URL: url, SESSION_ENGINE: "db" };
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["scripts/clearsessions.ts"], { cwd: ROOT, env, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = setTimeout(() => child.kill("SIGKILL"), CLEAR_DEADLINE_MS);
    child.on("error", reject);
    child.on("exit", () => clearTimeout(deadline));
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `bench: clearsessions failed or passed ${CLEAR_DEADLINE_MS / 60_000} min (exit ${code}):\n${output}`,
            ),
          ),
    );
  });
}

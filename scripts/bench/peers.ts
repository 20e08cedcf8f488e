import { spawn } from "node:child_process";
import path from "node:path";
import { RedisStore } from "connect-redis";
import type { SessionData as ExpressSessionData } from "express-session";
import { getIronSession } from "iron-session";
import { createClient } from "redis";
import { DJANGO_PYTHON } from "../../test/harness/django";
import type { BenchContext } from "./context";
import { libraryCycle } from "./engines";
import { nextCounter, realisticSession } from "./payload";
import type { BenchCase, Budget, Comparison } from "./runner";
import { progress, timeFor, warmUp } from "./runner";
import { summarize, timeRatio } from "./stats";
import { cookieCycle } from "./cookies";

/**
 * Peers, with the same payload on the same store: express-session's
 * connect-redis (a store get+set per cycle, as its middleware does for a
 * changed session), iron-session (its cookie session: unseal, change, seal)
 * and Django's db backend on SQLite (timed inside Python, see djangoPeer).
 */

const SECRET = "evermore bench password, at least 32 characters long";

export const PEER_CASES: BenchCase<BenchContext>[] = [
  {
    name: "cache (Redis) vs express-session + connect-redis",
    async prepare({ redisUrl }, closers) {
      const { cycle } = await libraryCycle("cache", { CACHES: { default: redisUrl } });
      const client = createClient({ url: redisUrl });
      await client.connect();
      closers.push(() => client.close());
      const store = new RedisStore({ client });
      const cookie = { originalMaxAge: 1_209_600_000, httpOnly: true, path: "/" };
      const sid = "bench-express";
      const get = () =>
        new Promise<ExpressSessionData>((resolve, reject) =>
          store.get(sid, (error, found) => (error ? reject(error) : resolve(found!))),
        );
      const set = (data: ExpressSessionData) =>
        new Promise<void>((resolve, reject) =>
          store.set(sid, data, (error) => (error ? reject(error) : resolve())),
        );
      await set({ ...realisticSession(), cookie } as unknown as ExpressSessionData);
      const baseline = async () => {
        const data = (await get()) as ExpressSessionData & { counter?: number };
        data.counter = nextCounter(data.counter);
        await set(data);
      };
      return { subject: cycle, baseline };
    },
  },
  {
    name: "encrypted_cookies vs iron-session's cookie session",
    async prepare() {
      const jar = new Map<string, string>();
      const cookies = {
        get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
        // iron-session calls set(name, value, options) or set({ name, value, ... }).
        set(cookie: string | { name: string; value: string }, value = "") {
          if (typeof cookie === "string") jar.set(cookie, value);
          else jar.set(cookie.name, cookie.value);
        },
      };
      const options = { password: SECRET, cookieName: "sessionid" };
      const first = await getIronSession<Record<string, unknown>>(cookies, options);
      Object.assign(first, realisticSession());
      await first.save();
      const baseline = async () => {
        const session = await getIronSession<{ counter?: number }>(cookies, options);
        session.counter = nextCounter(session.counter);
        await session.save();
      };
      return { subject: await cookieCycle("encrypted_cookies"), baseline };
    },
  },
];

/**
 * Django's db backend against ours, both on the run's SQLite file. Django is
 * timed inside Python (perf_counter around each cycle, after a warm-up),
 * ours inside Node the same way; rounds alternate between the two.
 */
export async function djangoPeer(context: BenchContext, budget: Budget): Promise<Comparison> {
  const name = "db (SQLite) vs Django 3.2 db backend";
  const { cycle } = await libraryCycle("db", { DATABASE_URL: context.sqliteUrl });
  progress(`${name}: warming up`);
  await warmUp(cycle, budget.warmupOps);
  const ours: number[][] = [];
  const theirs: number[][] = [];
  for (let round = 0; round < budget.rounds; round++) {
    const django = () => djangoRound(context.sqliteUrl, budget);
    if (round % 2 === 0) theirs.push(await django());
    ours.push(await timeFor(cycle, budget.roundMs));
    if (round % 2 === 1) theirs.push(await django());
  }
  const subject = summarize(ours);
  const baseline = summarize(theirs);
  const ratio = timeRatio(subject, baseline);
  progress(`${name}: ratio ${ratio.toFixed(2)}`);
  return { name, subject, baseline, ratio };
}

function djangoRound(sqliteUrl: string, budget: Budget): Promise<number[]> {
  const request = {
    secret_key: process.env.SECRET_KEY,
    database: sqliteUrl.replace(/^file:/, ""),
    data: realisticSession(),
    warmup: Math.min(budget.warmupOps, 50),
    seconds: budget.roundMs / 1000,
  };
  return new Promise((resolve, reject) => {
    const script = path.join(import.meta.dirname, "django-cycle.py");
    const child = spawn(DJANGO_PYTHON, [script], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0)
        return reject(new Error(`bench: Django cycle failed (exit ${code}):\n${err}`));
      resolve((JSON.parse(out) as { latencies: number[] }).latencies);
    });
    child.stdin.end(JSON.stringify(request));
  });
}

import { randomInt } from "node:crypto";
import type { Settings } from "../../lib/settings";
import { getSessionStore } from "../../lib/sessions";
import type { TestDatabase } from "../../test/harness/databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "../../test/harness/databases";
import type { BenchContext } from "./context";
import type { FillRange } from "./fill";
import { benchKey, fillDatabase, fillRedis } from "./fill";
import { realisticSession } from "./payload";
import type { Budget, Comparison, Operation } from "./runner";
import { compare } from "./runner";

/**
 * Scale: the latency of loading a session when the store holds 1,000
 * sessions against when it holds `sessions` (default 1,000,000). Two stores
 * of each kind are filled once, then read in alternating rounds, so the
 * ratio compares like with like at the same moment.
 */

export const SMALL_STORE = 1_000;

const LATER = () => new Date(Date.now() + 14 * 86_400_000);

/** The encoded payload as `engine` stores it (its own salt, this run's SECRET_KEY). */
export async function encodedFor(engine: string, settings: Partial<Settings>): Promise<string> {
  const Store = await getSessionStore(engine);
  return new Store(null, { settings }).encode(realisticSession());
}

/** Loads a random one of the `count` bulk-loaded sessions; fails if it does not come back. */
export async function randomLoad(
  engine: string,
  settings: Partial<Settings>,
  count: number,
  from = 0,
): Promise<Operation> {
  const Store = await getSessionStore(engine);
  return async () => {
    const session = new Store(benchKey(from + randomInt(count)), { settings });
    if ((await session.get("visitorName")) === undefined) {
      throw new Error(`bench: a bulk-loaded ${engine} session did not load`);
    }
  };
}

interface Side {
  settings: Partial<Settings>;
  fill(range: FillRange, label: string): Promise<void>;
}

async function scaleCase(
  name: string,
  engine: string,
  [small, large]: [Side, Side],
  sessions: number,
  budget: Budget,
): Promise<Comparison> {
  const encoded = await encodedFor(engine, small.settings);
  const range = (count: number) => ({ from: 0, count, encoded, expireDate: LATER() });
  await small.fill(range(SMALL_STORE), `${name}, small store`);
  await large.fill(range(sessions), `${name}, large store`);
  return compare(
    `${name}: load with ${sessions.toLocaleString("en-US")} vs ${SMALL_STORE.toLocaleString("en-US")} stored`,
    await randomLoad(engine, large.settings, sessions),
    await randomLoad(engine, small.settings, SMALL_STORE),
    budget,
  );
}

function databaseSide(database: TestDatabase): Side {
  return {
    settings: { DATABASE_URL: database.url },
    fill: (range, label) => fillDatabase(database.url, range, label),
  };
}

export async function scaleBenchmarks(
  context: BenchContext,
  sessions: number,
  budget: Budget,
): Promise<Comparison[]> {
  const results: Comparison[] = [];
  const databases: TestDatabase[] = [];
  try {
    const sqlite = [await freshSqliteDatabase(), await freshSqliteDatabase()];
    databases.push(...sqlite);
    const sqliteSides = sqlite.map(databaseSide) as [Side, Side];
    results.push(await scaleCase("db (SQLite)", "db", sqliteSides, sessions, budget));
    const server = context.postgresServerUrl;
    const postgres = [await freshPostgresDatabase(server), await freshPostgresDatabase(server)];
    databases.push(...postgres);
    const postgresSides = postgres.map(databaseSide) as [Side, Side];
    results.push(await scaleCase("db (PostgreSQL)", "db", postgresSides, sessions, budget));
    // Two logical databases of the run's Redis: the same server, separate key spaces.
    const redisSides = [1, 2].map((index) => {
      const url = `${context.redisUrl}/${index}`;
      const side: Side = {
        settings: { CACHES: { default: url } },
        fill: (range, label) => fillRedis(url, range, label),
      };
      return side;
    }) as [Side, Side];
    results.push(await scaleCase("cache (Redis)", "cache", redisSides, sessions, budget));
  } finally {
    await Promise.allSettled(databases.map((database) => database.drop()));
  }
  return results;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Service } from "../../test/harness/services";
import { startMemcached, startPostgres, startRedis } from "../../test/harness/services";
import type { TestDatabase } from "../../test/harness/databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "../../test/harness/databases";
import { progress } from "./runner";

/**
 * The throwaway stores of one benchmark run, all on loopback: Redis,
 * memcached, a PostgreSQL cluster, a fresh SQLite file and a session
 * directory. `close()` stops and removes everything.
 */
export interface BenchContext {
  redisUrl: string;
  memcachedUrl: string;
  postgresServerUrl: string;
  sqliteUrl: string;
  postgresUrl: string;
  fileDir: string;
  close(): Promise<void>;
}

export async function startContext(): Promise<BenchContext> {
  const services: Service[] = [];
  const databases: TestDatabase[] = [];
  const fileDir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-bench-files-"));
  const close = async () => {
    await Promise.allSettled(databases.map((database) => database.drop()));
    await Promise.allSettled(services.map((service) => service.stop()));
    fs.rmSync(fileDir, { recursive: true, force: true });
  };
  try {
    progress("starting Redis, memcached and PostgreSQL on loopback");
    const [redis, memcached, postgres] = await Promise.all([
      startRedis().then(track(services)),
      startMemcached().then(track(services)),
      startPostgres().then(track(services)),
    ]);
    progress("creating fresh SQLite and PostgreSQL databases");
    const sqlite = track(databases)(await freshSqliteDatabase());
    const pg = track(databases)(await freshPostgresDatabase(postgres.url));
    return {
      redisUrl: redis.url,
      memcachedUrl: memcached.url,
      postgresServerUrl: postgres.url,
      sqliteUrl: sqlite.url,
      postgresUrl: pg.url,
      fileDir,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function track<T>(list: T[]) {
  return (item: T) => {
    list.push(item);
    return item;
  };
}

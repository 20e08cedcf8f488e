import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../../scripts/db/engine";

/**
 * Fresh, migrated databases for tests: a SQLite file in a temp directory, or
 * a new database on the run's throwaway PostgreSQL server.
 */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshSqliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-sqlite-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await applyMigrations(url);
  return { url, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

/** A new database on the server at `serverUrl`, migrated; `drop()` removes it. */
export async function freshPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `evermore_test_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

import { afterAll, beforeAll, inject } from "vitest";
import type { Database } from "../../lib/db/client";
import { databaseFor } from "../../lib/db/client";
import type { TestDatabase } from "./databases";
import { freshPostgresDatabase, freshSqliteDatabase } from "./databases";

/**
 * For vitest files (it reads the run's services with `inject`): both
 * databases the site runs on, fresh and migrated, to run a suite on each.
 */
export const databaseBackends = [
  { name: "SQLite", fresh: () => freshSqliteDatabase() },
  { name: "PostgreSQL", fresh: () => freshPostgresDatabase(inject("services").postgresUrl) },
];

/** Closes the process-wide client of the database before dropping it (SQLite keeps the file open). */
export async function closeAndDrop(database: TestDatabase) {
  await databaseFor(database.url).$disconnect();
  await database.drop();
}

/**
 * A fresh database for the enclosing `describe`, migrated before its tests
 * and dropped after them. Read `client` (and `database`) inside the tests.
 */
export function useFreshDatabase(fresh: () => Promise<TestDatabase>) {
  const state = {} as { database: TestDatabase; client: Database };
  beforeAll(async () => {
    state.database = await fresh();
    state.client = databaseFor(state.database.url);
  });
  afterAll(() => closeAndDrop(state.database));
  return state;
}

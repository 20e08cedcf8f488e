import { inject } from "vitest";
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

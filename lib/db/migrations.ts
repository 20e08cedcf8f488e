import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Database } from "./client";
import type { DatabaseProvider } from "./url";

/** Where the committed migrations of `provider` live, one directory each (`npm run db:migrate` applies them). */
export function migrationsDirectory(provider: DatabaseProvider, root = process.cwd()): string {
  return path.join(/* turbopackIgnore: true */ root, "prisma", "migrations", provider);
}

/** The committed migrations' names, oldest first; null when the directory is not there to read. */
export async function committedMigrations(directory: string): Promise<string[] | null> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * The committed migrations that the database has not applied: all of them
 * when it has never been migrated. Read from the `_prisma_migrations` table
 * that `npm run db:migrate` keeps, as `prisma migrate deploy` does.
 */
export async function pendingMigrations(
  database: Database,
  provider: DatabaseProvider,
  committed: readonly string[],
): Promise<string[]> {
  const table =
    provider === "sqlite"
      ? await database.$queryRaw<unknown[]>`
          SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`
      : await database.$queryRaw<unknown[]>`
          SELECT 1 FROM pg_tables
          WHERE schemaname = current_schema() AND tablename = '_prisma_migrations'`;
  if (table.length === 0) return [...committed];
  const rows = await database.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations
    WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((row) => row.migration_name));
  return committed.filter((name) => !applied.has(name));
}

/**
 * `npm run db:migration -- <name>`: writes the SQL that brings the committed
 * migrations up to the current prisma/schema.prisma, once per provider, as
 * prisma/migrations/<provider>/<UTC timestamp>_<name>/migration.sql (the
 * layout `prisma migrate` uses). Review the SQL, then `npm run db:migrate`.
 * `-- --check` writes nothing and fails if a migration is missing (for CI).
 *
 * Needs no running database: SQLite is diffed in memory, PostgreSQL on a
 * throwaway local cluster (needs PostgreSQL's server binaries installed), or
 * on SHADOW_DATABASE_URL if set (a server where this role may create a
 * temporary database).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import nextEnv from "@next/env";

import { redactUrl } from "../../lib/db/url";
import { diffToSchema, lockfileContent } from "./engine";
import { migrationsDir, PROVIDERS, REPO_ROOT } from "./schema";
import type { Provider } from "./schema";

async function main(): Promise<void> {
  // SHADOW_DATABASE_URL may live in .env files, read as `next dev` reads them.
  nextEnv.loadEnvConfig(process.cwd(), true, { info: () => {}, error: console.error });
  const args = process.argv.slice(2);
  const checkOnly = args.includes("--check");
  const name = migrationName(args.filter((arg) => arg !== "--check"));
  if (name === "" && !checkOnly) {
    console.error("usage: npm run db:migration -- <name>   (e.g. add_pet_table), or -- --check");
    process.exitCode = 2;
    return;
  }
  // Diff every provider before writing anything, so a failure leaves no half-made migration.
  const changes: [Provider, string][] = [];
  for (const provider of PROVIDERS) {
    const sql = await diff(provider);
    if (sql !== null) changes.push([provider, sql]);
  }
  if (changes.length === 0) {
    console.log("db:migration: no changes (the migrations already match prisma/schema.prisma)");
    return;
  }
  if (checkOnly) {
    const providers = changes.map(([provider]) => provider).join(", ");
    console.error(
      `db:migration: prisma/schema.prisma has changes without a migration (${providers})`,
    );
    process.exitCode = 1;
    return;
  }
  const folder = `${timestamp(new Date())}_${name}`;
  for (const [provider, sql] of changes) {
    const file = await writeMigration(provider, folder, sql);
    console.log(`db:migration: wrote ${path.relative(REPO_ROOT, file)}`);
  }
  console.log("db:migration: review the SQL, then run `npm run db:migrate`");
}

async function diff(provider: Provider): Promise<string | null> {
  const shadowDatabaseUrl = process.env.SHADOW_DATABASE_URL || undefined;
  try {
    return await diffToSchema(provider, { shadowDatabaseUrl });
  } catch (error) {
    if (provider !== "postgresql" || !shadowDatabaseUrl || !(error instanceof Error)) throw error;
    error.message = `SHADOW_DATABASE_URL (${redactUrl(shadowDatabaseUrl)}): ${error.message}`;
    throw error;
  }
}

/** snake_case, as in Prisma's folder names ("" when none was given). */
function migrationName(args: string[]): string {
  return args
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** UTC YYYYMMDDHHMMSS, like Prisma's migration folder prefixes. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function writeMigration(provider: Provider, folder: string, sql: string): Promise<string> {
  const baseDir = migrationsDir(provider);
  await mkdir(baseDir, { recursive: true });
  // "wx": an existing lock file is kept, and an existing migration is never overwritten.
  await writeFile(path.join(baseDir, "migration_lock.toml"), lockfileContent(provider), {
    flag: "wx",
  }).catch(ignoreExisting);
  await mkdir(path.join(baseDir, folder));
  const file = path.join(baseDir, folder, "migration.sql");
  await writeFile(file, sql, { flag: "wx" });
  return file;
}

function ignoreExisting(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`db:migration: failed: ${message.trim().replace(/\s*\n\s*/g, " ")}`);
  process.exitCode = 1;
});

/**
 * Per-provider schema text, derived from the single source
 * `prisma/schema.prisma` (written for PostgreSQL).
 *
 * Prisma has no way to share one schema between two providers, so the SQLite
 * variant is produced by text substitution: the provider is swapped and the
 * PostgreSQL native types (`@db.VarChar(40)`, `@db.Timestamptz(6)`, …), which
 * SQLite rejects, are dropped. See docs/decisions/0001-database-and-migrations.md.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { migrationsDirectory } from "../../lib/db/migrations";
import type { DatabaseProvider } from "../../lib/db/url";

export type Provider = DatabaseProvider;

export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const SCHEMA_PATH = path.join(REPO_ROOT, "prisma", "schema.prisma");

export function migrationsDir(provider: Provider): string {
  return migrationsDirectory(provider, REPO_ROOT);
}

export function clientOutputDir(provider: Provider): string {
  return path.join(REPO_ROOT, "lib", "generated", "prisma", provider);
}

/**
 * The schema for `provider`, as it should read when saved in `schemaDir`
 * (the generator `output` is relative to the schema file, so it depends on
 * where the text ends up).
 */
export async function schemaFor(provider: Provider, schemaDir: string): Promise<string> {
  const source = await readFile(SCHEMA_PATH, "utf8");
  return deriveSchema(source, provider, schemaDir);
}

export function deriveSchema(source: string, provider: Provider, schemaDir: string): string {
  let text = setInBlock(source, "datasource", "provider", `"${provider}"`);
  const output = path.relative(schemaDir, clientOutputDir(provider)).split(path.sep).join("/");
  text = setInBlock(text, "generator", "output", JSON.stringify(output));
  if (provider === "sqlite") text = stripNativeTypes(text);
  return text;
}

/** Removes `@db.X` / `@db.X(args)` attributes, which only PostgreSQL understands. */
function stripNativeTypes(text: string): string {
  return text.replace(/[ \t]*@db\.\w+(\([^)]*\))?/g, "");
}

/** Rewrites `key = …` inside the (single) `<kind> name { … }` block. */
function setInBlock(text: string, kind: string, key: string, value: string): string {
  const block = new RegExp(`^(${kind}\\s+\\w+\\s*\\{[^}]*?^\\s*${key}\\s*=\\s*)[^\\n]*$`, "m");
  if (!block.test(text)) {
    throw new Error(`${path.relative(REPO_ROOT, SCHEMA_PATH)}: no \`${key}\` in the ${kind} block`);
  }
  return text.replace(block, `$1${value}`);
}

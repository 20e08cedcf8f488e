/**
 * `npm run db:migrate`: brings the database at DATABASE_URL (default: the
 * SQLite file `data/evermore.db`) up to date with prisma/migrations/<provider>/.
 *
 * `.env*` files are read the way `next dev` / `next start` read them, so the
 * migrated database is the one the app will open. Relative SQLite paths
 * resolve against the current directory, as at runtime: run from the
 * repository root (npm scripts do).
 */
import nextEnv from "@next/env";

import { DEFAULT_DATABASE_URL, redactUrl } from "../../lib/db/url";
import { applyMigrations } from "./engine";

async function main(): Promise<void> {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
    info: () => {},
    error: console.error,
  });
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  console.log(`db:migrate: ${redactUrl(url)}`);
  const applied = await applyMigrations(url);
  for (const name of applied) console.log(`  applied ${name}`);
  if (applied.length === 0) console.log("  up to date");
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`db:migrate: failed: ${message.trim().replace(/\s*\n\s*/g, " ")}`);
  process.exitCode = 1;
});

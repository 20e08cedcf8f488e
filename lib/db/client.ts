import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../generated/prisma/postgresql/client";
import { PrismaClient as SqliteClient } from "../generated/prisma/sqlite/client";
import { settings } from "../settings";
import { djangoTimeSqlite } from "./sqlite-django-time";
import { databaseProvider } from "./url";

/**
 * The one Prisma client of the process, for whichever database
 * `DATABASE_URL` names.
 *
 * Both generated clients come from the same models (prisma/schema.prisma),
 * so the PostgreSQL client's type describes either; see
 * docs/decisions/0001-database-and-migrations.md.
 */
export type Database = PostgresClient;

/** Opens a new client for a URL; most code wants `db()` instead. */
export function openDatabase(url: string): Database {
  // "minimal" errors: Prisma's pretty errors may quote query arguments, session keys among them.
  const errorFormat = "minimal";
  if (databaseProvider(url) === "postgresql") {
    // Without a connect timeout, a server that accepts connections but never answers hangs requests.
    const adapter = new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 });
    return new PostgresClient({ adapter, errorFormat });
  }
  const sqlite = new SqliteClient({ adapter: djangoTimeSqlite(url), errorFormat });
  // Same models, same queries: only the SQL dialect underneath differs.
  return sqlite as unknown as Database;
}

// Kept on globalThis so `next dev` reloads reuse one connection pool per database.
const holder = globalThis as typeof globalThis & { evermoreDatabases?: Map<string, Database> };

/** The process-wide client for a database URL, opened on first use. */
export function databaseFor(url: string): Database {
  holder.evermoreDatabases ??= new Map();
  let database = holder.evermoreDatabases.get(url);
  if (!database) {
    database = openDatabase(url);
    holder.evermoreDatabases.set(url, database);
  }
  return database;
}

/** The process-wide client for `DATABASE_URL`. */
export function db(): Database {
  return databaseFor(settings().DATABASE_URL);
}

/** The largest id an `Int` column holds (PostgreSQL's `integer`): a larger one names no row, and a query comparing with it fails. */
export const MAX_ROW_ID = 2_147_483_647;

import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../generated/prisma/postgresql/client";
import { PrismaClient as SqliteClient } from "../generated/prisma/sqlite/client";
import { settings } from "../settings";
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
  if (databaseProvider(url) === "postgresql") {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  const sqlite = new SqliteClient({ adapter: new PrismaLibSql({ url }) });
  // Same models, same queries: only the SQL dialect underneath differs.
  return sqlite as unknown as Database;
}

// Kept on globalThis so `next dev` reloads reuse one connection pool.
const holder = globalThis as typeof globalThis & { evermoreDb?: Database };

/** The process-wide client for `DATABASE_URL`, opened on first use. */
export function db(): Database {
  holder.evermoreDb ??= openDatabase(settings().DATABASE_URL);
  return holder.evermoreDb;
}

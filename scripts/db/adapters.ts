/**
 * Driver-adapter factories for the schema engine, with workarounds for the
 * adapter problems (Prisma 7.10) that only migration tooling runs into: the
 * app's runtime queries are unaffected and use the plain adapters.
 */
import { randomUUID } from "node:crypto";

import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

import { databaseProvider } from "../../lib/db/url";

/** The factory for the database the app itself uses. */
export function adapterFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  return databaseProvider(databaseUrl) === "sqlite"
    ? new PrismaLibSql({ url: databaseUrl })
    : postgresAdapterFactory(databaseUrl);
}

/**
 * The engine replays each migration on the shadow database as a single
 * `executeRaw` call, and libsql runs only the first statement of a call, so
 * everything after a migration's first statement (its CREATE INDEXes, …)
 * went missing and every diff re-added it. On the shadow database (scratch,
 * where row counts do not matter) parameterless commands go through
 * `executeScript`, which runs them all.
 */
export function sqliteShadowFactory(): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaLibSql({ url: ":memory:" });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => inner.connect(),
    connectToShadowDb: async () => {
      const adapter = await inner.connectToShadowDb();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length > 0) return executeRaw(query);
        await adapter.executeScript(query.sql);
        return 0;
      };
      return adapter;
    },
  };
}

/**
 * adapter-pg (7.10) rejects result columns of PostgreSQL's internal `"char"`
 * type (OID 18), which the engine's catalog queries select (`relkind`,
 * `contype`, …), so every diff against PostgreSQL failed with "Column type
 * 'char' could not be deserialized". Its values arrive as one-letter strings
 * anyway, so the client below relabels such columns as `text` (OID 25).
 */
export function postgresAdapterFactory(
  connectionString: string,
): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg({ connectionString, Client: CharAsTextClient });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: () => connectToTemporaryDatabase(connectionString),
  };
}

/**
 * A new database on the server of `connectionString`, dropped on dispose.
 * PrismaPg's own connectToShadowDb creates one but, given a connection
 * string, connects to the original database instead (pg lets the string's
 * database name win over the `database` option), so migrations were
 * replayed into the real database; it also never closes its admin pool.
 */
async function connectToTemporaryDatabase(connectionString: string): Promise<SqlDriverAdapter> {
  const admin = await new PrismaPg({ connectionString, Client: CharAsTextClient }).connect();
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  try {
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const url = new URL(connectionString);
    url.pathname = `/${name}`;
    const shadow = await new PrismaPg({
      connectionString: url.toString(),
      Client: CharAsTextClient,
    }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await admin.dispose();
      }
    };
    return shadow;
  } catch (error) {
    await admin
      .executeScript(`DROP DATABASE IF EXISTS "${name}"`)
      .finally(() => admin.dispose())
      .catch((cleanupError: unknown) =>
        console.warn(`could not drop shadow database ${name}: ${String(cleanupError)}`),
      );
    throw error;
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

class CharAsTextClient extends pg.Client {}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const clientQuery = pg.Client.prototype.query as unknown as QueryFn;

(CharAsTextClient.prototype as unknown as { query: QueryFn }).query = function (
  this: pg.Client,
  ...args
) {
  const callback = args.at(-1);
  if (typeof callback === "function") {
    // pg.Pool queries its clients in callback style.
    args[args.length - 1] = (error: unknown, result: unknown) =>
      callback(error, error ? result : relabelCharColumns(result));
    return clientQuery.apply(this, args);
  }
  const result = clientQuery.apply(this, args);
  return result instanceof Promise ? result.then(relabelCharColumns) : result;
};

function relabelCharColumns(result: unknown): unknown {
  for (const one of Array.isArray(result) ? result : [result]) {
    const fields = (one as Partial<pg.QueryResult> | undefined)?.fields ?? [];
    for (const field of fields)
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

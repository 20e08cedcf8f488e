import { PrismaLibSql } from "@prisma/adapter-libsql";
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/**
 * SQLite through Prisma, writing times the way Django does.
 *
 * SQLite has no time type: both sides store text and compare it as text.
 * Prisma writes `2026-11-23T18:00:00.123+00:00`, Django writes
 * `2026-11-23 18:00:00.123000`; since " " sorts before "T", the two orders
 * disagree within a day, and each side would keep the other's expired
 * sessions or delete its live ones. Writing Django's form (naive UTC, a space,
 * microseconds) makes every comparison agree. Prisma reads both forms back as
 * UTC. See docs/decisions/0001-database-and-migrations.md.
 */

/** Django's text for a UTC instant: `str()` of a naive UTC datetime. */
export function djangoTimestamp(date: Date): string {
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  const fraction = ms ? `.${String(ms).padStart(3, "0")}000` : "";
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}`;
}

function toDjangoTime(value: unknown): unknown {
  if (value instanceof Date) return djangoTimestamp(value);
  if (typeof value === "string") return djangoTimestamp(new Date(value));
  return value;
}

/** The query with every datetime argument rewritten as Django's text. */
function withDjangoTimes(query: SqlQuery): SqlQuery {
  if (!query.argTypes.some((type) => type.scalarType === "datetime")) return query;
  return {
    ...query,
    args: query.args.map((arg, i) => {
      if (query.argTypes[i]?.scalarType !== "datetime" || arg === null) return arg;
      return Array.isArray(arg) ? arg.map(toDjangoTime) : toDjangoTime(arg);
    }),
    argTypes: query.argTypes.map((type) =>
      type.scalarType === "datetime" ? { ...type, scalarType: "string" } : type,
    ),
  };
}

/**
 * The adapter (or transaction) with its two query methods rewritten. A Proxy
 * that binds every other method to the original, because the adapter keeps
 * private state that only its own `this` can reach.
 */
function withDjangoTimeQueries<T extends SqlDriverAdapter | Transaction>(target: T): T {
  return new Proxy(target, {
    get(original, property) {
      if (property === "queryRaw" || property === "executeRaw") {
        return (query: SqlQuery) => original[property](withDjangoTimes(query));
      }
      if (property === "startTransaction" && "startTransaction" in original) {
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
          withDjangoTimeQueries(await original.startTransaction(...args));
      }
      const value: unknown = Reflect.get(original, property, original);
      return typeof value === "function" ? value.bind(original) : value;
    },
  });
}

/**
 * How SQLite is opened for several processes at once (two `next start`, or
 * a server and `clearsessions`): WAL lets readers run beside the one
 * writer, and a writer that finds the database locked waits for it (up to
 * `SQLITE_BUSY_TIMEOUT_MS`) instead of failing with "database is locked".
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;
const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  // WAL's recommended durability: a commit survives a crash of the process, not of the machine.
  "PRAGMA synchronous = NORMAL",
];

/** A libsql adapter factory for `url` whose datetimes are stored as Django stores them. */
export function djangoTimeSqlite(url: string): SqlDriverAdapterFactory {
  const factory = new PrismaLibSql({ url });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      for (const sql of CONNECTION_PRAGMAS) await adapter.queryRaw({ sql, args: [], argTypes: [] });
      return withDjangoTimeQueries(adapter);
    },
  };
}

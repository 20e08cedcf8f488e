/**
 * Prisma's schema engine, run from its official WebAssembly build.
 *
 * The Prisma CLI's `migrate` commands need a native schema-engine binary that
 * is downloaded on first use; the WASM build ships inside an npm package and
 * talks to the database through the same driver adapters as the app, so it
 * works offline and with no native code. `applyMigrations` is the engine
 * code behind `prisma migrate deploy`: same `_prisma_migrations` table, rows
 * and checksums, so switching to the CLI later needs no data changes.
 * See docs/decisions/0001-database-and-migrations.md.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type {
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm/schema_engine_bg";

import { committedMigrations } from "../../lib/db/migrations";
import { databaseProvider, redactUrl } from "../../lib/db/url";
import { adapterFactory, postgresAdapterFactory, sqliteShadowFactory } from "./adapters";
import { migrationsDir, schemaFor, SCHEMA_PATH } from "./schema";
import type { Provider } from "./schema";
import { startPostgres } from "../../test/harness/services";

export type LogFn = (line: string) => void;

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Applies the committed migrations for the database at `databaseUrl` and
 * returns the names of those newly applied (empty when up to date).
 *
 * Relative SQLite paths (`file:./data/x.db`) resolve against process.cwd(),
 * as they do for libsql at runtime, so run this from the repository root
 * (npm scripts do). The file's directory is created if missing.
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: { log?: LogFn } = {},
): Promise<string[]> {
  const provider = databaseProvider(databaseUrl);
  if (provider === "sqlite") await ensureSqliteDirectory(databaseUrl);
  const migrationsList = await readMigrations(provider);
  // The engine's SQL errors do not say which migration failed; its log does.
  let applying: string | undefined;
  const log = (line: string) => {
    applying = migrationBeingApplied(line) ?? applying;
    opts.log?.(line);
  };
  try {
    const schema = await schemaFor(provider, path.dirname(SCHEMA_PATH));
    return await withEngine(schema, adapterFactory(databaseUrl), log, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return result.appliedMigrationNames;
    });
  } catch (error) {
    if (applying && error instanceof Error)
      error.message = `migration ${applying}: ${error.message}`;
    throw error;
  }
}

/** Log lines are JSON: `{"fields":{"message":"Applying `<name>`",…},…}`. */
function migrationBeingApplied(logLine: string): string | undefined {
  return /"message":"Applying `([^`"]+)`"/.exec(logLine)?.[1];
}

/**
 * The SQL that brings a database built from the committed migrations of
 * `provider` up to the current `prisma/schema.prisma`, or null when they
 * already match.
 *
 * The engine replays the migrations on a shadow database to learn where they
 * lead: an in-memory SQLite database, or for PostgreSQL a temporary database
 * on `shadowDatabaseUrl` (a server where this role may CREATE DATABASE) or,
 * without one, on a throwaway local cluster started for the occasion.
 */
export async function diffToSchema(
  provider: Provider,
  opts: { shadowDatabaseUrl?: string; log?: LogFn } = {},
): Promise<string | null> {
  const migrationsList = await readMigrations(provider);
  const schema = await schemaFor(provider, path.dirname(SCHEMA_PATH));
  const diff = (factory: SqlMigrationAwareDriverAdapterFactory) =>
    withEngine(schema, factory, opts.log, async (engine) => {
      const result = await engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      });
      return meaningfulSql(result.stdout);
    });

  if (provider === "sqlite") return diff(sqliteShadowFactory());
  if (opts.shadowDatabaseUrl) return diff(postgresAdapterFactory(opts.shadowDatabaseUrl));
  const server = await startPostgres();
  try {
    return await diff(postgresAdapterFactory(server.url));
  } finally {
    await server.stop();
  }
}

/** The migrations folder in the shape the engine expects (it never reads files itself). */
export async function readMigrations(provider: Provider): Promise<MigrationList> {
  const baseDir = migrationsDir(provider);
  // Timestamp prefixes make lexical order the application order, as in Prisma.
  const names = (await committedMigrations(baseDir)) ?? [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await readResult(path.join(baseDir, name, "migration.sql")),
      },
    })),
  );
  const lockfilePath = path.join(baseDir, "migration_lock.toml");
  const lock = await readResult(lockfilePath);
  return {
    baseDir,
    // Written by new-migration; the engine only uses it to know the provider, which we know anyway.
    lockfile: {
      path: lockfilePath,
      content: lock.tag === "ok" ? lock.value : lockfileContent(provider),
    },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** The `migration_lock.toml` Prisma writes next to the migrations. */
export function lockfileContent(provider: Provider): string {
  return [
    "# Please do not edit this file manually",
    "# It should be added in your version-control system (e.g., Git)",
    `provider = "${provider}"`,
    "",
  ].join("\n");
}

async function readResult(
  file: string,
): Promise<{ tag: "ok"; value: string } | { tag: "error"; value: string }> {
  try {
    return { tag: "ok", value: await readFile(file, "utf8") };
  } catch (error) {
    // The engine reports unreadable migrations itself, naming the migration.
    return { tag: "error", value: error instanceof Error ? error.message : String(error) };
  }
}

/** Empty scripts still carry a "-- This is an empty migration." comment. */
function meaningfulSql(script: string | null): string | null {
  if (script === null) return null;
  const statements = script
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("--"))
    .join("\n");
  return statements === "" ? null : script;
}

async function ensureSqliteDirectory(databaseUrl: string): Promise<void> {
  const file = sqliteFilePath(databaseUrl);
  if (file === null) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new Error(`DATABASE_URL: cannot create the directory of ${file}: ${String(error)}`);
  }
}

/** The file a `file:` URL names (null for in-memory), resolved the way libsql does. */
export function sqliteFilePath(databaseUrl: string): string | null {
  let rest = databaseUrl.slice("file:".length).replace(/[?#].*$/, "");
  if (rest.startsWith("//")) {
    const host = rest.slice(2).split("/", 1)[0] ?? "";
    if (host !== "" && host !== "localhost") {
      throw new Error(`DATABASE_URL: a file: URL cannot name a host ("${redactUrl(databaseUrl)}")`);
    }
    rest = rest.slice(2 + host.length);
  }
  rest = decodeURIComponent(rest);
  if (rest === ":memory:") return null;
  if (rest === "") throw new Error(`DATABASE_URL: "${redactUrl(databaseUrl)}" names no file`);
  return path.resolve(process.cwd(), rest);
}

/**
 * Runs `work` with an engine bound to `factory`, then releases every
 * connection the engine opened: freeing the engine does not close them, and
 * an open pg pool would keep the process alive.
 */
async function withEngine<T>(
  schema: string,
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: LogFn | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const tracked = trackConnections(factory);
  const { SchemaEngine } = await loadBindings();
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new(
      { datamodels: [[SCHEMA_PATH, schema]] },
      (line: string) => log?.(line.trimEnd()),
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    );
    return await work(engine);
  } catch (error) {
    throw engineError(error);
  } finally {
    engine?.free();
    await tracked.disposeAll();
  }
}

function trackConnections(inner: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const dispose = adapter.dispose.bind(adapter);
    open.add(adapter);
    // Idempotent, since the engine may already have disposed of it.
    adapter.dispose = async () => {
      if (!open.delete(adapter)) return;
      await dispose();
    };
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  const disposeAll = async () => {
    await Promise.all([...open].map((adapter) => adapter.dispose()));
  };
  return { factory, disposeAll };
}

/**
 * Engine failures arrive as Errors whose message ends in a Rust span trace;
 * anything else thrown across the WASM boundary is made into an Error.
 */
function engineError(error: unknown): Error {
  if (error instanceof Error) {
    // The trace ("   0: schema_engine_wasm::…") is noise to a user.
    error.message = error.message.replace(/\n\s+0: [\s\S]*$/, "");
    return error;
  }
  if (typeof error === "object" && error !== null && "message" in error) {
    const { message, error_code: code } = error as { message: unknown; error_code?: unknown };
    return new Error(typeof code === "string" ? `${code}: ${String(message)}` : String(message));
  }
  return new Error(String(error));
}

let bindingsReady: Promise<typeof bindings> | undefined;

/**
 * Instantiates the WASM module by hand: the package's ESM entry imports the
 * `.wasm` file directly, which Node 20 cannot do. Done once per process,
 * since the bindings hold the instance in module state.
 */
function loadBindings(): Promise<typeof bindings> {
  bindingsReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(path.join(packageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return bindingsReady;
}

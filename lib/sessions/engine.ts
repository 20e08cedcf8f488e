import path from "node:path";
import { pathToFileURL } from "node:url";
import { settings } from "../settings";
import type { SessionBase, SessionOptions } from "./base";
import { ImproperlyConfigured } from "./errors";

/** A `SessionStore` class, as every engine module exports it. */
export interface SessionStoreClass {
  new (sessionKey?: string | null, options?: SessionOptions): SessionBase;
  /** Removes expired sessions; returns how many. Cookie engines have nothing to remove. */
  clearExpired(options?: { onProgress?(removed: number): void }): Promise<number>;
}

/**
 * The one place engine names become modules. Imports are lazy so that an
 * app using the file engine never loads a Redis client, and written out in
 * full so that bundlers see every module.
 */
const BUILT_IN: Record<string, () => Promise<{ SessionStore: SessionStoreClass }>> = {
  db: () => import("./engines/db"),
  cache: () => import("./engines/cache"),
  cached_db: () => import("./engines/cached-db"),
  file: () => import("./engines/file"),
  signed_cookies: () => import("./engines/signed-cookies"),
  encrypted_cookies: () => import("./engines/encrypted-cookies"),
};

/** Engines registered by name at start-up (how a Next.js app adds its own: bundles cannot import by path). */
const registered = new Map<string, SessionStoreClass>();

/**
 * Classes already imported, by engine name. Every request asks for its
 * engine's class, and an `import()`, even of a module already loaded, is a
 * chain of promises.
 */
const imported = new Map<string, SessionStoreClass>();

/** Makes `SESSION_ENGINE=<name>` select this class. */
export function registerSessionEngine(name: string, Store: SessionStoreClass) {
  registered.set(name, Store);
}

/**
 * The `SessionStore` class of an engine (default: `SESSION_ENGINE`): a
 * built-in name, a registered name, or a module path (relative to the working
 * directory) whose module exports `SessionStore`. Django's
 * `import_module(settings.SESSION_ENGINE).SessionStore`.
 */
export async function getSessionStore(
  engine = settings().SESSION_ENGINE,
): Promise<SessionStoreClass> {
  const found = registered.get(engine) ?? imported.get(engine);
  if (found) return found;
  const builtIn = BUILT_IN[engine];
  const module = builtIn ? await builtIn() : await importEngineModule(engine);
  if (typeof module?.SessionStore !== "function") {
    throw new ImproperlyConfigured(
      `SESSION_ENGINE: module "${engine}" does not export SessionStore`,
    );
  }
  imported.set(engine, module.SessionStore);
  return module.SessionStore;
}

async function importEngineModule(engine: string): Promise<{ SessionStore?: SessionStoreClass }> {
  const url = pathToFileURL(path.resolve(/* turbopackIgnore: true */ process.cwd(), engine)).href;
  try {
    return (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as {
      SessionStore?: SessionStoreClass;
    };
  } catch (error) {
    throw new ImproperlyConfigured(
      `SESSION_ENGINE: "${engine}" is neither a built-in engine (${Object.keys(BUILT_IN).join(", ")}) ` +
        `nor a module that can be imported`,
      { cause: error },
    );
  }
}

import os from "node:os";
import { z } from "zod";

/**
 * The session framework's settings: Django's names, Django's defaults.
 *
 * Every value comes from an environment variable of the same name and is
 * validated once; a bad value is reported with the variable's name so the
 * process fails at start-up instead of on the first request.
 */

/** Short names of the built-in engines; anything else is a module path. */
export const BUILT_IN_ENGINES = [
  "db",
  "cache",
  "cached_db",
  "file",
  "signed_cookies",
  "encrypted_cookies",
] as const;

export type SameSite = "Lax" | "Strict" | "None" | false;

export interface SessionSettings {
  /** Engine name (`db`, `cache`, …) or a module path exporting `SessionStore`. Default `db`. */
  SESSION_ENGINE: string;
  /** Default `sessionid`. A `__Host-` prefix requires Secure, Path=/ and no Domain. */
  SESSION_COOKIE_NAME: string;
  /** Seconds; default 1209600 (two weeks). */
  SESSION_COOKIE_AGE: number;
  /** Default none: the cookie belongs to the exact host that set it. */
  SESSION_COOKIE_DOMAIN: string | null;
  /** Default false, but true when NODE_ENV=production unless set explicitly. */
  SESSION_COOKIE_SECURE: boolean;
  /** Default `/`. */
  SESSION_COOKIE_PATH: string;
  /** Default true: page scripts cannot read the session cookie. */
  SESSION_COOKIE_HTTPONLY: boolean;
  /** Default `Lax`; `false` omits the attribute. `None` requires Secure. */
  SESSION_COOKIE_SAMESITE: SameSite;
  /** Default false. True re-saves (and slides the expiry of) every session on every request. */
  SESSION_SAVE_EVERY_REQUEST: boolean;
  /** Default false. True makes session cookies last until the browser closes. */
  SESSION_EXPIRE_AT_BROWSER_CLOSE: boolean;
  /** Directory of the `file` engine; default the OS temp directory. */
  SESSION_FILE_PATH: string;
  /** `json`, the default and the only serializer with a name (Django's other one, pickle, can run code). */
  SESSION_SERIALIZER: string;
  /** Which cache alias the `cache` and `cached_db` engines use; default `default`. */
  SESSION_CACHE_ALIAS: string;
  /**
   * Beyond Django: the most bytes a session's data may take serialized (the
   * serializer's JSON, before compression and signing), enforced at save by
   * every engine (`SessionTooLarge`). Default 262144 (256 KiB); from 1024 to
   * 8388608 (8 MiB, `MAX_SESSION_SIZE_RANGE`). A stored record the cap
   * could not have produced reads as an empty session.
   */
  SESSION_MAX_SIZE: number;
  /** Signs and encrypts everything; required (and strong) in production. */
  SECRET_KEY: string;
  /** Older keys still accepted when reading, newest first; for rotating SECRET_KEY. */
  SECRET_KEY_FALLBACKS: string[];
  /** Cache aliases from `CACHE_<ALIAS>_URL`: alias (lower case) → `redis://…`, `redis+cluster://…` or `memcached://…`. */
  CACHES: Record<string, string>;
}

export type Env = Record<string, string | undefined>;

/** Thrown at start-up when the environment is wrong; one line per bad variable. */
export class SettingsError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      `evermore: invalid settings (fix these environment variables):\n${problems
        .map((problem) => `  ${problem}`)
        .join("\n")}`,
    );
    this.name = "SettingsError";
    this.problems = problems;
  }
}

/** A boolean variable: true/false, 1/0, yes/no, on/off, any case. Shared with the site's settings. */
export const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => BOOLEAN_WORDS.has(text), {
    message: "expected true or false (also 1/0, yes/no, on/off)",
  })
  .transform((text) => BOOLEAN_WORDS.get(text) === true);

const BOOLEAN_WORDS = new Map([
  ["true", true],
  ["1", true],
  ["yes", true],
  ["on", true],
  ["false", false],
  ["0", false],
  ["no", false],
  ["off", false],
]);

/** A whole number of seconds. Shared with the site's settings. */
export const seconds = z
  .string()
  .trim()
  .regex(/^\d+$/, "expected a whole number of seconds")
  .transform(Number);

/**
 * `SESSION_MAX_SIZE`'s default, 256 KiB: room for everything the site lets a
 * visitor write, at its most, in any script (`lib/memorials/drafts-size.test.ts`),
 * while bounding what one load and save can cost (`npm run bench`, "A session
 * at the size cap").
 */
export const DEFAULT_SESSION_MAX_SIZE = 256 * 1024;

/**
 * What `SESSION_MAX_SIZE` may be: from 1 KiB (below that, a login alone may
 * not fit) to 8 MiB (above that, one load is tens of milliseconds of
 * synchronous work, and zlib refuses to inflate it; `signing.MAX_INFLATED_BYTES`).
 */
export const MAX_SESSION_SIZE_RANGE = { min: 1024, max: 8 * 1024 * 1024 } as const;

const sessionMaxSize = z
  .string()
  .trim()
  .regex(/^\d+$/, "expected a whole number of bytes")
  .transform(Number)
  .refine(
    (bytes) => bytes >= MAX_SESSION_SIZE_RANGE.min && bytes <= MAX_SESSION_SIZE_RANGE.max,
    `expected from ${MAX_SESSION_SIZE_RANGE.min} to ${MAX_SESSION_SIZE_RANGE.max} bytes`,
  );

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const sameSite = z
  .string()
  .trim()
  .transform((text) => text.toLowerCase())
  .refine((text) => ["lax", "strict", "none", "false"].includes(text), {
    message: "expected Lax, Strict, None or false",
  })
  .transform((text): SameSite => {
    if (text === "false") return false;
    return (text[0]!.toUpperCase() + text.slice(1)) as SameSite;
  });

const CACHE_URL = /^(redis|rediss|redis\+cluster|memcached):\/\/[^\s]+$/;

function sessionSchema(env: Env) {
  const production = env.NODE_ENV === "production";
  return z.object({
    SESSION_ENGINE: z.string().trim().min(1, "must not be empty").default("db"),
    SESSION_COOKIE_NAME: z
      .string()
      .regex(COOKIE_NAME, "expected a cookie name (letters, digits and !#$%&'*+-.^_`|~)")
      .default("sessionid"),
    SESSION_COOKIE_AGE: seconds.default(1209600),
    SESSION_COOKIE_DOMAIN: z
      .string()
      .trim()
      .transform((text) => text || null)
      .default(null),
    SESSION_COOKIE_SECURE: booleanFlag.default(production),
    SESSION_COOKIE_PATH: z
      .string()
      .startsWith("/", 'expected a path starting with "/"')
      .default("/"),
    SESSION_COOKIE_HTTPONLY: booleanFlag.default(true),
    SESSION_COOKIE_SAMESITE: sameSite.default("Lax"),
    SESSION_SAVE_EVERY_REQUEST: booleanFlag.default(false),
    SESSION_EXPIRE_AT_BROWSER_CLOSE: booleanFlag.default(false),
    SESSION_FILE_PATH: z.string().trim().min(1, "must not be empty").default(os.tmpdir()),
    // Only "json" has a name; another serializer is an object passed in code (`settings` option).
    SESSION_SERIALIZER: z
      .string()
      .trim()
      .refine((name) => name === "json", 'expected "json", the one serializer known by name')
      .default("json"),
    SESSION_CACHE_ALIAS: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_]+$/, "expected letters, digits and _")
      .transform((alias) => alias.toLowerCase())
      .default("default"),
    SESSION_MAX_SIZE: sessionMaxSize.default(DEFAULT_SESSION_MAX_SIZE),
    SECRET_KEY_FALLBACKS: z
      .string()
      .transform((text) =>
        text
          .split(",")
          .map((key) => key.trim())
          .filter(Boolean),
      )
      .default([]),
  });
}

/** `CACHE_<ALIAS>_URL` variables, validated; problems are appended to `problems`. */
function parseCaches(env: Env, problems: string[]): Record<string, string> {
  const caches: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^CACHE_([A-Z0-9_]+)_URL$/.exec(name);
    if (!match || value === undefined) continue;
    if (!CACHE_URL.test(value.trim())) {
      problems.push(`${name}: expected redis://…, rediss://…, redis+cluster://… or memcached://…`);
      continue;
    }
    caches[match[1]!.toLowerCase()] = value.trim();
  }
  return caches;
}

/** Problems that involve more than one variable. */
function crossCheck(settings: Omit<SessionSettings, "SECRET_KEY">): string[] {
  const problems: string[] = [];
  const name = settings.SESSION_COOKIE_NAME;
  if (settings.SESSION_COOKIE_SAMESITE === "None" && !settings.SESSION_COOKIE_SECURE) {
    problems.push(
      "SESSION_COOKIE_SAMESITE: None is refused by browsers unless SESSION_COOKIE_SECURE=true",
    );
  }
  if (name.startsWith("__Host-")) {
    if (!settings.SESSION_COOKIE_SECURE)
      problems.push("SESSION_COOKIE_NAME: a __Host- cookie requires SESSION_COOKIE_SECURE=true");
    if (settings.SESSION_COOKIE_PATH !== "/")
      problems.push("SESSION_COOKIE_NAME: a __Host- cookie requires SESSION_COOKIE_PATH=/");
    if (settings.SESSION_COOKIE_DOMAIN)
      problems.push("SESSION_COOKIE_NAME: a __Host- cookie must not set SESSION_COOKIE_DOMAIN");
  }
  if (name.startsWith("__Secure-") && !settings.SESSION_COOKIE_SECURE) {
    problems.push("SESSION_COOKIE_NAME: a __Secure- cookie requires SESSION_COOKIE_SECURE=true");
  }
  const usesCache = ["cache", "cached_db"].includes(settings.SESSION_ENGINE);
  const alias = settings.SESSION_CACHE_ALIAS;
  if (usesCache && !settings.CACHES[alias]) {
    problems.push(
      `SESSION_CACHE_ALIAS: the ${settings.SESSION_ENGINE} engine uses cache "${alias}", ` +
        `but CACHE_${alias.toUpperCase()}_URL is not set`,
    );
  }
  return problems;
}

/**
 * Parses the session settings from an environment, without `SECRET_KEY`
 * (whose development fallback touches the disk; see `secret-key.ts`).
 * Returns the problems instead of throwing so the caller can report every
 * bad variable at once. Combinations that cannot work come apart from them:
 * they are worth reading only once every variable is valid on its own (a bad
 * cache URL is not also a missing one).
 */
export function parseSessionSettings(env: Env): {
  settings: Omit<SessionSettings, "SECRET_KEY">;
  problems: string[];
  combinations: string[];
} {
  const problems: string[] = [];
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = sessionSchema(env).safeParse(present);
  const caches = parseCaches(env, problems);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0]);
      problems.push(`${name}: ${issue.message}, got "${String(env[name] ?? "")}"`);
    }
    const settings = { ...sessionSchema({}).parse({}), CACHES: caches };
    return { settings, problems, combinations: [] };
  }
  const settings = { ...result.data, CACHES: caches };
  return { settings, problems, combinations: crossCheck(settings) };
}

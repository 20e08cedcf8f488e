import { z } from "zod";
import { databaseProvider, DEFAULT_DATABASE_URL } from "./db/url";
import type { EmailSettings } from "./mail/settings";
import { parseEmailSettings } from "./mail/settings";
import type { PhotoSettings } from "./memorials/photo-settings";
import { parsePhotoSettings } from "./memorials/photo-settings";
import { resolveSecretKey, weakFallbackProblems } from "./sessions/secret-key";
import type { Env, SessionSettings } from "./sessions/settings";
import { parseSessionSettings, SettingsError } from "./sessions/settings";

/**
 * The project's settings, read from the environment once (like Django's
 * `settings` module). Every bad variable is reported in one error, one line
 * each, when the server starts (see `instrumentation.ts`).
 */
export interface Settings extends SessionSettings, PhotoSettings, EmailSettings {
  /** `file:…` (SQLite, the default `file:./data/evermore.db`) or `postgres://…`. */
  DATABASE_URL: string;
  NODE_ENV: "development" | "production" | "test";
  /**
   * How many proxies in front of the server append to `X-Forwarded-For`
   * (lib/client-address.ts). Default 0: no client-written header is
   * trusted, and the socket's address is the client's. 0 to 10.
   */
  TRUSTED_PROXY_HOPS: number;
}

export { SettingsError };

/** Parses an environment; throws `SettingsError` listing every problem. */
export function parseSettings(env: Env, cwd?: string): Settings {
  const { settings: session, problems, combinations } = parseSessionSettings(env);
  const email = parseEmailSettings(env);
  problems.push(...email.problems);
  combinations.push(...email.combinations);
  const DATABASE_URL = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  try {
    databaseProvider(DATABASE_URL);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const NODE_ENV = parseNodeEnv(env.NODE_ENV, problems);
  const photos = parsePhotoSettings(env, problems);
  const TRUSTED_PROXY_HOPS = parseProxyHops(env.TRUSTED_PROXY_HOPS, problems);
  const secret = resolveSecretKey(env, cwd);
  if (secret.problem) problems.push(secret.problem);
  problems.push(...weakFallbackProblems(env, session.SECRET_KEY_FALLBACKS));
  if (problems.length === 0) problems.push(...combinations);
  if (problems.length > 0 || secret.key === undefined) throw new SettingsError(problems);
  if (secret.warning) console.warn(`evermore: ${secret.warning}`);
  return {
    ...session,
    ...photos,
    ...email.settings,
    SECRET_KEY: secret.key,
    DATABASE_URL,
    NODE_ENV,
    TRUSTED_PROXY_HOPS,
  };
}

/** More proxies than this in front of one site is a typo, not a deployment. */
const MAX_PROXY_HOPS = 10;

const proxyHops = z
  .string()
  .trim()
  .regex(/^\d+$/, `expected a whole number of proxies, 0 to ${MAX_PROXY_HOPS}`)
  .transform(Number)
  .refine((hops) => hops <= MAX_PROXY_HOPS, `expected at most ${MAX_PROXY_HOPS} proxies`);

function parseProxyHops(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === "") return 0;
  const result = proxyHops.safeParse(value);
  if (result.success) return result.data;
  problems.push(`TRUSTED_PROXY_HOPS: ${result.error.issues[0]!.message}, got "${value}"`);
  return 0;
}

function parseNodeEnv(value: string | undefined, problems: string[]): Settings["NODE_ENV"] {
  if (value === undefined || value === "") return "development";
  if (value === "development" || value === "production" || value === "test") return value;
  problems.push(`NODE_ENV: expected development, production or test, got "${value}"`);
  return "development";
}

let cached: Settings | undefined;

/** The settings of this process, parsed on first use and never again. */
export function settings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}

import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "./settings";

/**
 * `SECRET_KEY`: required and strong in production; generated once and kept
 * in a git-ignored file in development, so sessions survive restarts without
 * anyone having to invent a key.
 */

/** Where the development key lives, relative to the working directory. */
export const DEV_SECRET_KEY_FILE = path.join("data", "secret-key");

/** The alphabet of Django's `get_random_secret_key()`. */
const KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)";
const KEY_LENGTH = 50;

/** A fresh key from a CSPRNG, in the shape Django generates. */
export function generateSecretKey(): string {
  let key = "";
  for (let i = 0; i < KEY_LENGTH; i++) key += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return key;
}

/** Django's deployment check (security.W009): long enough and not a placeholder. */
export function weakSecretKeyReason(key: string): string | null {
  if (key.length < 50) return `is ${key.length} characters long; use at least 50`;
  if (new Set(key).size < 5) return "has fewer than 5 distinct characters";
  if (key.startsWith("django-insecure-")) return 'starts with "django-insecure-"';
  return null;
}

/**
 * Django's security.W025: in production every `SECRET_KEY_FALLBACKS` entry
 * must pass the same check as `SECRET_KEY`, since a weak fallback still
 * verifies (and so lets anyone forge) sessions, device cookies and auth
 * hashes. One problem per weak entry, by position; never the key itself.
 */
export function weakFallbackProblems(env: Env, fallbacks: readonly string[]): string[] {
  if (env.NODE_ENV !== "production") return [];
  return fallbacks.flatMap((key, index) => {
    const weakness = weakSecretKeyReason(key);
    return weakness
      ? [`SECRET_KEY_FALLBACKS: entry ${index + 1} is too weak for production: it ${weakness}`]
      : [];
  });
}

export type SecretKeyResult =
  { key: string; problem?: undefined; warning?: string } | { key?: undefined; problem: string };

/**
 * Resolves `SECRET_KEY` for this environment. Never includes the key itself
 * in a problem or warning.
 */
export function resolveSecretKey(env: Env, cwd = process.cwd()): SecretKeyResult {
  const given = env.SECRET_KEY;
  if (env.NODE_ENV === "production") {
    if (!given) return { problem: "SECRET_KEY: required in production (50+ random characters)" };
    const weakness = weakSecretKeyReason(given);
    return weakness
      ? { problem: `SECRET_KEY: too weak for production: it ${weakness}` }
      : { key: given };
  }
  if (given) return { key: given };
  return developmentKey(path.join(cwd, DEV_SECRET_KEY_FILE));
}

function developmentKey(file: string): SecretKeyResult {
  try {
    const kept = fs.readFileSync(file, "utf8").trim();
    return kept
      ? { key: kept }
      : { problem: `SECRET_KEY: not set, and ${file} is empty; delete it` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return { problem: `SECRET_KEY: not set, and ${file} cannot be read (${errorCode(error)})` };
    }
  }
  const key = generateSecretKey();
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // "wx": two processes starting at once must not each write a different key.
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return developmentKey(file);
    return { problem: `SECRET_KEY: not set, and ${file} cannot be written (${errorCode(error)})` };
  }
  return {
    key,
    warning: `SECRET_KEY is not set: using a development key generated in ${file}. Set SECRET_KEY in production.`,
  };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

import { z } from "zod";
import type { Env } from "../sessions/settings";

/**
 * How much photo work one server instance takes on, and how many photos a
 * visitor may add per day. Read once from the environment with the other
 * settings (`lib/settings.ts`); a bad value stops the server at start-up
 * with the variable's name.
 */
export interface PhotoSettings {
  /**
   * Photos decoded and re-encoded at once (default 1). Each one holds a
   * thread of libuv's pool for as long as sharp works on it, and that pool
   * also runs argon2 for every login, so this must stay below the pool's
   * size (4 threads, or `UV_THREADPOOL_SIZE`): at most 3 by default.
   */
  PHOTO_WORKERS: number;
  /**
   * Uploads that may wait for a worker (default 6). One more gets a 503
   * "busy, try again" page at once, before its body is read.
   */
  PHOTO_QUEUE: number;
  /** Photos one session may add in 24 hours (default 60: five full drafts). */
  PHOTO_DAILY_PER_SESSION: number;
  /**
   * Photos one client address may add in 24 hours (default 300), whatever
   * its sessions: a new session is free, an address is not.
   */
  PHOTO_DAILY_PER_ADDRESS: number;
}

const count = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .refine((value) => value >= min && value <= max, `expected ${min} to ${max}`);

/** libuv's pool: 4 threads unless `UV_THREADPOOL_SIZE` says otherwise (libuv caps it at 1024). */
function threadPoolSize(env: Env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size >= 1 ? Math.min(size, 1024) : 4;
}

function photoSchema(env: Env) {
  return z.object({
    // At least one pool thread is always left for logins and file reads.
    PHOTO_WORKERS: count(1, Math.max(1, threadPoolSize(env) - 1)).default(1),
    PHOTO_QUEUE: count(0, 100).default(6),
    PHOTO_DAILY_PER_SESSION: count(1, 10_000).default(60),
    PHOTO_DAILY_PER_ADDRESS: count(1, 100_000).default(300),
  });
}

/** The photo settings of `env`; each bad variable adds a line to `problems`. */
export function parsePhotoSettings(env: Env, problems: string[]): PhotoSettings {
  const schema = photoSchema(env);
  const present = Object.fromEntries(
    Object.keys(schema.shape).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === "" ? [] : [[name, value]];
    }),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    problems.push(`${name}: ${issue.message}, got "${String(env[name] ?? "")}"`);
  }
  return schema.parse({});
}

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
   * Photos decoded and re-encoded at once (default 1, at most 3). Each one
   * holds a thread of libuv's pool (4 threads unless `UV_THREADPOOL_SIZE`
   * says more) for as long as sharp works on it, and that pool also runs
   * argon2 for every login: keep this below the pool's size so logins always
   * find a thread.
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

const schema = z.object({
  PHOTO_WORKERS: count(1, 3).default(1),
  PHOTO_QUEUE: count(0, 100).default(6),
  PHOTO_DAILY_PER_SESSION: count(1, 10_000).default(60),
  PHOTO_DAILY_PER_ADDRESS: count(1, 100_000).default(300),
});

/** The photo settings of `env`; each bad variable adds a line to `problems`. */
export function parsePhotoSettings(env: Env, problems: string[]): PhotoSettings {
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

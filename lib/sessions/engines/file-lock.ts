import fs from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Mutual exclusion on one session file, within this process and across
 * processes sharing `SESSION_FILE_PATH`: a lock file `<file>.lock` created
 * with O_EXCL, which only one process can create. Readers never lock: they
 * read whole files that writers rename into place.
 *
 * A lock older than `STALE_LOCK_MS` was left by a process that died holding
 * it, and is broken. Waiting longer than `LOCK_WAIT_MS` is an error, not a
 * hang.
 */
export const STALE_LOCK_MS = 10_000;
export const LOCK_WAIT_MS = 5_000;

export class LockTimeout extends Error {}

/** Runs `task` while holding the lock of `file`. Lock errors (read-only disk…) reject as they are. */
export function withFileLock<T>(file: string, task: () => Promise<T>): Promise<T> {
  return exclusively(file, async () => {
    const lock = `${file}.lock`;
    await acquire(lock);
    try {
      return await task();
    } finally {
      await fs.unlink(lock).catch(() => undefined);
    }
  });
}

async function acquire(lock: string) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      await (await fs.open(lock, "wx", 0o600)).close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const stats = await fs.stat(lock).catch(() => null);
    if (stats && Date.now() - stats.mtimeMs > STALE_LOCK_MS) {
      await fs.unlink(lock).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline)
      throw new LockTimeout(`a session file stayed locked for ${LOCK_WAIT_MS} ms`);
    // Jitter, so that waiting processes do not retry in lockstep.
    await sleep(delay + Math.random() * delay);
  }
}

/** Runs `task` after every earlier task on the same file in this process has settled. */
const queues = new Map<string, Promise<unknown>>();
async function exclusively<T>(file: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(file) ?? Promise.resolve()).then(task);
  // The caller gets `run`'s outcome; the queue only needs to know it settled.
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(file, settled);
  try {
    return await run;
  } finally {
    if (queues.get(file) === settled) queues.delete(file);
  }
}

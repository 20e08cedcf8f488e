import type { FileHandle } from "node:fs/promises";
import fs from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Mutual exclusion on one session file, within this process and across
 * processes sharing `SESSION_FILE_PATH`: a lock file `<file>.lock` created
 * with O_EXCL, which only one process can create. Readers never lock: they
 * read whole files that writers rename into place.
 *
 * A writer puts the new session into the lock file itself and renames it
 * over the session file: the write lands and the lock is released in one
 * step, and a save costs no separate temporary file.
 *
 * A lock older than `STALE_LOCK_MS` was left by a process that died holding
 * it, and is broken. Waiting longer than `LOCK_WAIT_MS` is an error, not a
 * hang.
 */
export const STALE_LOCK_MS = 10_000;
export const LOCK_WAIT_MS = 5_000;

export class LockTimeout extends Error {}

/** A held lock; see `withFileLock`. */
export interface FileLock {
  /** Writes `data` into the lock file and fsyncs it (once per lock). */
  write(data: string): Promise<void>;
  /** Renames the written lock file over the session file: the lock is released by it. */
  publish(): Promise<void>;
}

/**
 * Runs `task` while holding the lock of `file`. Unless the task publishes,
 * the lock file is removed afterwards, whatever was written into it. Errors
 * of the file system (read-only disk…) reject as they are.
 */
export function withFileLock<T>(file: string, task: (lock: FileLock) => Promise<T>): Promise<T> {
  return exclusively(file, async () => {
    const lockFile = `${file}.lock`;
    let handle: FileHandle | null = await acquire(lockFile);
    let published = false;
    const close = async () => {
      const open = handle;
      handle = null;
      await open?.close();
    };
    try {
      return await task({
        async write(data) {
          if (!handle) throw new Error("sessions: a lock file is written once");
          await handle.writeFile(data, "ascii");
          await handle.sync();
          await close();
        },
        async publish() {
          await close();
          await fs.rename(lockFile, file);
          published = true;
        },
      });
    } finally {
      await close();
      if (!published) await fs.unlink(lockFile).catch(() => undefined);
    }
  });
}

async function acquire(lock: string): Promise<FileHandle> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      return await fs.open(lock, "wx", 0o600);
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

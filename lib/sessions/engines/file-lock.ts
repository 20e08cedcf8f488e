import fs from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Mutual exclusion on one session file, within this process and across
 * processes sharing `SESSION_FILE_PATH`: a lock file `<file>.lock` created
 * with O_EXCL, which only one process can create. Readers never lock: they
 * read whole files that writers rename into place.
 *
 * A writer takes the lock with its new data: `<file>.lock` is made a hard
 * link to the writer's own temporary file, as exclusive as O_EXCL and one
 * system call where creating and closing an empty file are two. The writer
 * then renames its temporary file, never the lock, into place: a lock
 * broken as stale while its writer stalled cannot make that writer publish
 * another writer's half-written file. Where the file system has no hard
 * links, a writer's lock is an empty file like anyone else's.
 *
 * A lock older than `STALE_LOCK_MS` was left by a process that died holding
 * it, and is broken. Waiting longer than `LOCK_WAIT_MS` is an error, not a
 * hang.
 */
export const STALE_LOCK_MS = 10_000;
export const LOCK_WAIT_MS = 5_000;

export class LockTimeout extends Error {}

/**
 * Runs `task` while holding the lock of `file`, taken with the existing
 * file `heldBy` (a hard link) or as an empty file. Lock errors (read-only
 * disk…) reject as they are.
 */
export function withFileLock<T>(file: string, task: () => Promise<T>, heldBy?: string): Promise<T> {
  return exclusively(file, async () => {
    const lock = `${file}.lock`;
    await acquire(lock, heldBy);
    try {
      return await task();
    } finally {
      await fs.unlink(lock).catch(() => undefined);
    }
  });
}

/** What `link` answers on a file system without hard links: the lock is then an empty file. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

async function acquire(lock: string, heldBy?: string) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  // Dropped on a file system without hard links: the lock is then an empty file.
  let linkFrom = heldBy;
  // Why a stale lock stayed (EPERM, EROFS…): said when the wait is over. Never the path: it holds a key.
  let unbreakable = "";
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      if (linkFrom) await fs.link(linkFrom, lock);
      else await (await fs.open(lock, "wx", 0o600)).close();
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (linkFrom && NO_HARD_LINKS.has(code ?? "")) {
        linkFrom = undefined;
        continue;
      }
      if (code !== "EEXIST") throw error;
    }
    const stats = await fs.stat(lock).catch(() => null);
    if (stats && Date.now() - stats.mtimeMs > STALE_LOCK_MS) {
      const code = await fs.unlink(lock).then(
        () => null,
        (error: NodeJS.ErrnoException) => error.code ?? "an error",
      );
      // Removed, by us or by another waiter: try again at once. Otherwise wait like for any lock.
      if (code === null || code === "ENOENT") continue;
      unbreakable = ` (a stale lock could not be removed: ${code})`;
    }
    if (Date.now() > deadline)
      throw new LockTimeout(`a session file stayed locked for ${LOCK_WAIT_MS} ms${unbreakable}`);
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

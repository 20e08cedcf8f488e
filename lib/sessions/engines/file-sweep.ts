import { opendir } from "node:fs/promises";
import path from "node:path";
import type { ExpiryJudge } from "../stored";
import type { SessionFiles } from "./session-files";
import { SAFE_KEY, sessionRecord } from "./session-files";

/** What a writer leaves beside a session file while it works: its lock and its temporary file (ours or Django's). */
const LEFTOVER = /^[a-z0-9]+(?:\.lock|_out_\w+)$/;

/** No write takes this long: such a lock or temporary file was left by a process that died. */
const ABANDONED_MS = 60 * 60 * 1000;

export interface Sweep {
  files: SessionFiles;
  /** `SESSION_COOKIE_NAME`, which begins every session file's name. */
  prefix: string;
  /** `SESSION_COOKIE_AGE`: how long an empty placeholder file counts as a session. */
  cookieAge: number;
  judge: ExpiryJudge;
}

/**
 * The file engine's `clearExpired`: scans the directory and deletes the
 * session files the judge finds expired; returns how many. A file rewritten
 * since it was judged is kept (by another process: unless the rewrite lands
 * between the final stat and the unlink). Locks and temporary files of
 * writers that died, an hour old or more, go too; they are not counted.
 */
export async function sweepSessionFiles({ files, prefix, cookieAge, judge }: Sweep) {
  let removed = 0;
  const directory = await opendir(files.dir).catch((error: unknown) => {
    throw files.failure("read", error);
  });
  for await (const entry of directory) {
    const key = entry.name.slice(prefix.length);
    if (!entry.name.startsWith(prefix) || entry.isDirectory()) continue;
    const file = path.join(files.dir, entry.name);
    if (!SAFE_KEY.test(key)) {
      if (LEFTOVER.test(key)) await files.removeIfOlder(file, ABANDONED_MS);
      continue;
    }
    const found = await files.read(file);
    if (!found) continue; // vanished since the listing
    const { data, stats } = found;
    const expireDate =
      data === ""
        ? new Date(stats.mtimeMs + cookieAge * 1000) // Django: an empty file is {}
        : await judge.expireDateOf(sessionRecord(found));
    if (expireDate.getTime() > judge.now.getTime()) continue;
    const unchanged = await files.locked(file, async () => {
      const current = await files.stat(file);
      if (current?.ino !== stats.ino || current.mtimeMs !== stats.mtimeMs) return false;
      await files.unlink(file);
      return true;
    });
    if (!unchanged) continue;
    removed++;
    judge.onProgress?.(removed);
  }
  return removed;
}

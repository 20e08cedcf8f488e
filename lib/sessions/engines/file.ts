import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { accessSync, constants, statSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../../settings";
import { ImproperlyConfigured, InvalidSessionKey, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import type { ExpiryJudge, SessionRecord, SessionStorage, SwapResult } from "../stored";
import { StoredSession } from "../stored";
import { LockTimeout, withFileLock } from "./file-lock";

type FileSettings = Pick<
  Settings,
  "SESSION_FILE_PATH" | "SESSION_COOKIE_NAME" | "SESSION_COOKIE_AGE"
>;

/** The only characters a key may have before it becomes part of a path (Django's VALID_KEY_CHARS). */
const SAFE_KEY = /^[a-z0-9]+$/;

/** Directories already found usable in this process: checked once, as Django caches `_storage_path`. */
const checkedDirectories = new Set<string>();

/**
 * Throws `ImproperlyConfigured` unless `SESSION_FILE_PATH` is an existing
 * directory this process can write to. Call it at start-up to fail early;
 * stores call it (once per directory and process) when constructed.
 */
export function checkFileStorage(settings: Pick<Settings, "SESSION_FILE_PATH">): string {
  const dir = path.resolve(settings.SESSION_FILE_PATH);
  const unusable = (why: string) =>
    new ImproperlyConfigured(
      `SESSION_FILE_PATH: ${dir} ${why}; set it to an existing directory the server can write to`,
    );
  try {
    if (!statSync(dir).isDirectory()) throw unusable("is not a directory");
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof ImproperlyConfigured) throw error;
    throw unusable(
      codeOf(error) === "ENOENT" ? "does not exist" : `is not writable (${codeOf(error)})`,
    );
  }
  return dir;
}

/**
 * Django's file backend: one file per session, `<SESSION_COOKIE_NAME><key>`
 * in `SESSION_FILE_PATH` (default: the OS temp directory), holding the
 * encoded session and nothing else; the expiry is derived from the data or
 * the file's mtime + `SESSION_COOKIE_AGE`, so `ttlSeconds` is not stored.
 *
 * Limits: one process host (or a shared file system with working rename);
 * a directory scan per `clearExpired`, so millions of sessions make it slow.
 * Writes go to a temporary file, are fsynced, then renamed into place: a
 * reader sees the old or the new session, never a torn one. The directory is
 * not fsynced, so a power cut may lose the latest write, not the file.
 * Write errors (disk full, read-only, permissions) raise `StorageError`;
 * Django ignores them.
 */
export class FileStorage implements SessionStorage {
  readonly #dir: string;
  readonly #prefix: string;
  readonly #cookieAge: number;

  constructor(settings: FileSettings) {
    const dir = path.resolve(settings.SESSION_FILE_PATH);
    if (!checkedDirectories.has(dir)) checkedDirectories.add(checkFileStorage(settings));
    this.#dir = dir;
    this.#prefix = settings.SESSION_COOKIE_NAME;
    this.#cookieAge = settings.SESSION_COOKIE_AGE;
  }

  async read(sessionKey: string): Promise<SessionRecord | null> {
    const found = await this.#readFile(this.#fileOf(sessionKey));
    // An empty file is the placeholder of a session still being created (here or by Django).
    return found && found.record.data !== "" ? found.record : null;
  }

  /** Creates the file exclusively first (Django's O_EXCL), so a taken key is never overwritten. */
  async insert(sessionKey: string, record: SessionRecord): Promise<boolean> {
    const file = this.#fileOf(sessionKey);
    try {
      await (await fs.open(file, "wx", 0o600)).close();
    } catch (error) {
      if (codeOf(error) === "EEXIST") return false;
      throw this.#failure("write", error);
    }
    try {
      await this.#replace(file, await this.#writeTemporary(file, record.data));
    } catch (error) {
      await this.#discard(file);
      throw error;
    }
    return true;
  }

  /** Replaces the file only if it is still there (checked and renamed under the file's lock). */
  async update(sessionKey: string, record: SessionRecord): Promise<boolean> {
    return (await this.swap(sessionKey, null, record)) === "saved";
  }

  /**
   * The version check: under the file's lock, the file is replaced only if
   * it still holds `expected`'s data (any data, for `update`). The new data
   * is written to its temporary file before the lock is taken, so the lock
   * is held for a read and a rename.
   */
  async swap(
    sessionKey: string,
    expected: SessionRecord | null,
    record: SessionRecord,
  ): Promise<SwapResult> {
    const file = this.#fileOf(sessionKey);
    const temporary = await this.#writeTemporary(file, record.data);
    const result = await this.#locked(file, async (): Promise<SwapResult> => {
      const current = await this.#readFile(file);
      if (!current || current.record.data === "") return "gone";
      if (expected && current.record.data !== expected.data) return "changed";
      await this.#replace(file, temporary);
      return "saved";
    }).catch(async (error: unknown) => {
      await this.#discard(temporary);
      throw error;
    });
    if (result !== "saved") await this.#discard(temporary);
    return result;
  }

  async remove(sessionKey: string): Promise<boolean> {
    const file = this.#fileOf(sessionKey);
    return this.#locked(file, () => this.#unlink(file));
  }

  async exists(sessionKey: string): Promise<boolean> {
    return (await this.#stat(this.#fileOf(sessionKey))) !== null;
  }

  /**
   * Scans the directory. A file rewritten since it was judged is kept (by
   * another process: unless the rewrite lands between the final stat and the unlink).
   */
  async clearExpired(judge: ExpiryJudge): Promise<number> {
    let removed = 0;
    const directory = await fs.opendir(this.#dir).catch((error: unknown) => {
      throw this.#failure("read", error);
    });
    for await (const entry of directory) {
      const key = entry.name.slice(this.#prefix.length);
      if (!entry.name.startsWith(this.#prefix) || !SAFE_KEY.test(key) || entry.isDirectory())
        continue;
      const file = path.join(this.#dir, entry.name);
      const found = await this.#readFile(file);
      if (!found) continue; // vanished since the listing
      const { record, stats } = found;
      const expireDate =
        record.data === ""
          ? new Date(stats.mtimeMs + this.#cookieAge * 1000) // Django: an empty file is {}
          : await judge.expireDateOf(record);
      if (expireDate.getTime() > judge.now.getTime()) continue;
      const unchanged = await this.#locked(file, async () => {
        const current = await this.#stat(file);
        if (current?.ino !== stats.ino || current.mtimeMs !== stats.mtimeMs) return false;
        await this.#unlink(file);
        return true;
      });
      if (!unchanged) continue;
      removed++;
      judge.onProgress?.(removed);
    }
    return removed;
  }

  /** Runs `task` holding the file's lock; failing to lock is a `StorageError` like any write. */
  async #locked<T>(file: string, task: () => Promise<T>): Promise<T> {
    try {
      return await withFileLock(file, task);
    } catch (error) {
      if (error instanceof LockTimeout) throw new StorageError(`${error.message} (${this.#dir})`);
      if (error instanceof StorageError || codeOf(error) === undefined) throw error;
      throw this.#failure("write", error);
    }
  }

  /** The file of a key; no path is ever built from anything but a-z0-9. */
  #fileOf(sessionKey: string): string {
    if (!SAFE_KEY.test(sessionKey))
      throw new InvalidSessionKey("invalid characters in session key");
    return path.join(this.#dir, this.#prefix + sessionKey);
  }

  async #readFile(file: string): Promise<{ record: SessionRecord; stats: Stats } | null> {
    try {
      const handle = await fs.open(file, "r");
      try {
        // The same descriptor for content and mtime: a rename between the two cannot mix versions.
        const stats = await handle.stat();
        const data = await handle.readFile("ascii");
        return { record: { data, expireDate: null, modifiedAt: stats.mtime }, stats };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (codeOf(error) === "ENOENT") return null;
      throw this.#failure("read", error);
    }
  }

  async #writeTemporary(file: string, data: string): Promise<string> {
    // Django's mkstemp name (`<file>_out_…`): neither engine mistakes it for a session.
    const temporary = `${file}_out_${randomBytes(6).toString("hex")}`;
    const handle = await fs.open(temporary, "wx", 0o600).catch((error: unknown) => {
      throw this.#failure("write", error);
    });
    try {
      await handle.writeFile(data, "ascii");
      await handle.sync();
    } catch (error) {
      await this.#discard(temporary);
      throw this.#failure("write", error);
    } finally {
      await handle.close();
    }
    return temporary;
  }

  async #replace(file: string, temporary: string) {
    try {
      await fs.rename(temporary, file);
    } catch (error) {
      await this.#discard(temporary);
      throw this.#failure("write", error);
    }
  }

  async #stat(file: string) {
    try {
      return await fs.stat(file);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return null;
      throw this.#failure("read", error);
    }
  }

  /** Whether there was a file to delete. */
  async #unlink(file: string): Promise<boolean> {
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (codeOf(error) !== "ENOENT") throw this.#failure("delete", error);
      return false;
    }
  }

  /** Best-effort clean-up after a failure that is already being reported. */
  async #discard(file: string) {
    try {
      await fs.unlink(file);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return;
      logStorageFailure(
        `could not remove a file in SESSION_FILE_PATH (${this.#dir})`,
        codeOf(error) ?? error,
      );
    }
  }

  /** Names the directory and the cause; never the file, whose name holds the key. */
  #failure(action: "read" | "write" | "delete", error: unknown): Error {
    const code = codeOf(error);
    if (code === undefined) return error instanceof Error ? error : new Error(String(error));
    const reason = REASONS[code] ?? "failed";
    return new StorageError(
      `cannot ${action} session files in SESSION_FILE_PATH (${this.#dir}): ${reason} (${code})`,
    );
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOENT: "the directory is gone",
  ENOTDIR: "the directory is gone",
};

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The `file` engine (`SESSION_ENGINE=file`); see `FileStorage` for its limits. */
export class SessionStore extends StoredSession {
  protected override readonly storage: SessionStorage = new FileStorage(this.settings);
}

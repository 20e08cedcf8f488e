import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { accessSync, constants, statSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import fs from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../../settings";
import { ImproperlyConfigured, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import type { SessionRecord } from "../stored";
import { LockTimeout, withFileLock } from "./file-lock";

/**
 * The file-system side of the `file` engine, in one directory: whole-file
 * reads, temporary files fsynced then renamed into place, per-file locks.
 * Failures become `StorageError`s that name the directory and the cause,
 * never the file, whose name holds a session key.
 */

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

/** Directories already found usable in this process: checked once, as Django caches `_storage_path`. */
const checkedDirectories = new Set<string>();

/** The only characters a key may have before it becomes part of a path (Django's VALID_KEY_CHARS). */
export const SAFE_KEY = /^[a-z0-9]+$/;

/** A session file as a record: its content, and its mtime, which says when it was last written. */
export function sessionRecord({ data, stats }: { data: string; stats: Stats }): SessionRecord {
  return { data, expireDate: null, modifiedAt: stats.mtime };
}

/** A temporary file being written: see `SessionFiles.createTemporary`. */
export interface TemporaryFile {
  name: string;
  fill(data: string): Promise<void>;
  /** Closes it if still open and removes it. */
  discard(): Promise<void>;
}

export class SessionFiles {
  readonly dir: string;

  /** Checks the directory once per process (`checkFileStorage`). */
  constructor(settings: Pick<Settings, "SESSION_FILE_PATH">) {
    const dir = path.resolve(settings.SESSION_FILE_PATH);
    if (!checkedDirectories.has(dir)) checkedDirectories.add(checkFileStorage(settings));
    this.dir = dir;
  }

  /** A file's content and its stats, from one descriptor; null when there is no file. */
  async read(file: string): Promise<{ data: string; stats: Stats } | null> {
    try {
      const handle = await fs.open(file, "r");
      try {
        // The same descriptor for content and mtime: a rename between the two cannot mix versions.
        const stats = await handle.stat();
        return { data: await readFrom(handle, stats.size), stats };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (codeOf(error) === "ENOENT") return null;
      throw this.failure("read", error);
    }
  }

  /**
   * The first `bytes` bytes of a file (all of it when shorter); null when
   * there is no file. Enough to tell whether it still holds what was read
   * before, without a stat.
   */
  async head(file: string, bytes: number): Promise<string | null> {
    try {
      const handle = await fs.open(file, "r");
      try {
        return await readFrom(handle, bytes, bytes);
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (codeOf(error) === "ENOENT") return null;
      throw this.failure("read", error);
    }
  }

  /** Creates an empty file exclusively (Django's O_EXCL); false when it exists. */
  async create(file: string): Promise<boolean> {
    try {
      await (await fs.open(file, "wx", 0o600)).close();
      return true;
    } catch (error) {
      if (codeOf(error) === "EEXIST") return false;
      throw this.failure("write", error);
    }
  }

  /** Writes and fsyncs `data` in a new file beside `file`; returns its name. */
  async writeTemporary(file: string, data: string): Promise<string> {
    const temporary = await this.createTemporary(file);
    await temporary.fill(data);
    return temporary.name;
  }

  /**
   * A new, empty file beside `file`, to be written once (then fsynced and
   * closed) or discarded. A failed write removes the file.
   */
  async createTemporary(file: string): Promise<TemporaryFile> {
    // Django's mkstemp name (`<file>_out_…`): neither engine mistakes it for a session.
    const name = `${file}_out_${randomBytes(6).toString("hex")}`;
    let handle: FileHandle | null = await fs.open(name, "wx", 0o600).catch((error: unknown) => {
      throw this.failure("write", error);
    });
    const close = async () => {
      const open = handle;
      handle = null;
      await open?.close();
    };
    const fill = async (data: string) => {
      if (!handle) throw new Error("sessions: a temporary file is written once");
      try {
        await handle.writeFile(data, "ascii");
        await handle.sync();
      } catch (error) {
        await close();
        await this.discard(name);
        throw this.failure("write", error);
      }
      await close();
    };
    // Never written (the lock could not be taken): its descriptor is closed too.
    const discard = async () => {
      await close();
      await this.discard(name);
    };
    return { name, fill, discard };
  }

  /** Renames `temporary` over `file`: readers see the old or the new file, never a torn one. */
  async replace(file: string, temporary: string) {
    try {
      await fs.rename(temporary, file);
    } catch (error) {
      await this.discard(temporary);
      throw this.failure("write", error);
    }
  }

  async stat(file: string) {
    try {
      return await fs.stat(file);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return null;
      throw this.failure("read", error);
    }
  }

  /** Whether there was a file to delete. */
  async unlink(file: string): Promise<boolean> {
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (codeOf(error) !== "ENOENT") throw this.failure("delete", error);
      return false;
    }
  }

  /** Deletes `file` if it was last modified `ms` or more ago; gone already is fine. */
  async removeIfOlder(file: string, ms: number) {
    const stats = await this.stat(file);
    if (stats && Date.now() - stats.mtimeMs >= ms) await this.unlink(file);
  }

  /** Best-effort clean-up after a failure that is already being reported. */
  async discard(file: string) {
    try {
      await fs.unlink(file);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return;
      logStorageFailure(
        `could not remove a file in SESSION_FILE_PATH (${this.dir})`,
        codeOf(error) ?? error,
      );
    }
  }

  /**
   * Runs `task` holding the file's lock, taken with `heldBy` (a writer's
   * temporary file) if given; failing to lock is a `StorageError` like any write.
   */
  async locked<T>(file: string, task: () => Promise<T>, heldBy?: string): Promise<T> {
    try {
      return await withFileLock(file, task, heldBy);
    } catch (error) {
      if (error instanceof LockTimeout) throw new StorageError(`${error.message} (${this.dir})`);
      if (error instanceof StorageError || codeOf(error) === undefined) throw error;
      throw this.failure("write", error);
    }
  }

  /** Names the directory and the cause; never the file, whose name holds the key. */
  failure(action: "read" | "write" | "delete", error: unknown): Error {
    const code = codeOf(error);
    if (code === undefined) return error instanceof Error ? error : new Error(String(error));
    const reason = REASONS[code] ?? "failed";
    return new StorageError(
      `cannot ${action} session files in SESSION_FILE_PATH (${this.dir}): ${reason} (${code})`,
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

/**
 * Reads from the start of a file until its end or `limit` bytes. The buffer
 * holds `expected` bytes and one more: session files are replaced whole,
 * never grown in place, so one read of the size fstat gave sees the end (a
 * read shorter than asked for ends a regular file).
 */
async function readFrom(handle: FileHandle, expected: number, limit = Infinity): Promise<string> {
  const buffer = Buffer.allocUnsafe(Math.min(expected + 1, limit));
  const chunks: string[] = [];
  let position = 0;
  while (position < limit) {
    const length = Math.min(buffer.length, limit - position);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    chunks.push(buffer.toString("ascii", 0, bytesRead));
    position += bytesRead;
    if (bytesRead < length) break;
  }
  return chunks.join("");
}

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

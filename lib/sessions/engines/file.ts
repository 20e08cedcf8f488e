import path from "node:path";
import type { Settings } from "../../settings";
import { InvalidSessionKey } from "../errors";
import type {
  ExpiryJudge,
  RemoveResult,
  SessionRecord,
  SessionStorage,
  SwapResult,
} from "../stored";
import { StoredSession } from "../stored";
import { sweepSessionFiles } from "./file-sweep";
import { SAFE_KEY, SessionFiles, sessionRecord } from "./session-files";

export { checkFileStorage } from "./session-files";

type FileSettings = Pick<
  Settings,
  "SESSION_FILE_PATH" | "SESSION_COOKIE_NAME" | "SESSION_COOKIE_AGE"
>;

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
  readonly #files: SessionFiles;
  readonly #prefix: string;
  readonly #cookieAge: number;

  constructor(settings: FileSettings) {
    this.#files = new SessionFiles(settings);
    this.#prefix = settings.SESSION_COOKIE_NAME;
    this.#cookieAge = settings.SESSION_COOKIE_AGE;
  }

  async read(sessionKey: string): Promise<SessionRecord | null> {
    const found = await this.#files.read(this.#fileOf(sessionKey));
    // An empty file is the placeholder of a session still being created (here or by Django).
    return found && found.data !== "" ? sessionRecord(found) : null;
  }

  /** Creates the file exclusively first (Django's O_EXCL), so a taken key is never overwritten. */
  async insert(sessionKey: string, record: SessionRecord): Promise<boolean> {
    const file = this.#fileOf(sessionKey);
    if (!(await this.#files.create(file))) return false;
    try {
      await this.#files.replace(file, await this.#files.writeTemporary(file, record.data));
    } catch (error) {
      await this.#files.discard(file);
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
   * it still holds `expected`'s data (any data, for `update`). A new
   * temporary file takes the lock (see file-lock.ts); the data is written
   * into it while the current file is read, then it is renamed into place.
   * A conflict, which is rare, wastes that write.
   */
  async swap(
    sessionKey: string,
    expected: SessionRecord | null,
    record: SessionRecord,
  ): Promise<SwapResult> {
    const file = this.#fileOf(sessionKey);
    const temporary = await this.#files.createTemporary(file);
    let result: SwapResult;
    try {
      const check = async (): Promise<SwapResult> => {
        // One byte more than expected tells a longer file apart; one byte tells a placeholder.
        const [current] = await settledBoth(
          this.#files.head(file, expected ? expected.data.length + 1 : 1),
          temporary.fill(record.data),
        );
        if (!current) return "gone";
        if (expected && current !== expected.data) return "changed";
        await this.#files.replace(file, temporary.name);
        return "saved";
      };
      result = await this.#files.locked(file, check, temporary.name);
    } catch (error) {
      await temporary.discard();
      throw error;
    }
    if (result !== "saved") await temporary.discard();
    return result;
  }

  /** Under the file's lock, as `swap`: the file goes only if it still holds `expected`'s data. */
  async removeIf(sessionKey: string, expected: SessionRecord): Promise<RemoveResult> {
    const file = this.#fileOf(sessionKey);
    return this.#files.locked(file, async () => {
      const current = await this.#files.head(file, expected.data.length + 1);
      if (!current) return "gone";
      if (current !== expected.data) return "changed";
      return (await this.#files.unlink(file)) ? "removed" : "gone";
    });
  }

  async remove(sessionKey: string): Promise<boolean> {
    const file = this.#fileOf(sessionKey);
    return this.#files.locked(file, () => this.#files.unlink(file));
  }

  async exists(sessionKey: string): Promise<boolean> {
    return (await this.#files.stat(this.#fileOf(sessionKey))) !== null;
  }

  /** See `sweepSessionFiles`. */
  clearExpired(judge: ExpiryJudge): Promise<number> {
    return sweepSessionFiles({
      files: this.#files,
      prefix: this.#prefix,
      cookieAge: this.#cookieAge,
      judge,
    });
  }

  /** The file of a key; no path is ever built from anything but a-z0-9. */
  #fileOf(sessionKey: string): string {
    if (!SAFE_KEY.test(sessionKey))
      throw new InvalidSessionKey("invalid characters in session key");
    return path.join(this.#files.dir, this.#prefix + sessionKey);
  }
}

/** Both results, or the first failure once both have settled: nothing is left running. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === "rejected") throw first.reason;
  if (second.status === "rejected") throw second.reason;
  return [first.value, second.value];
}

/** The `file` engine (`SESSION_ENGINE=file`); see `FileStorage` for its limits. */
export class SessionStore extends StoredSession {
  protected override readonly storage: SessionStorage = new FileStorage(this.settings);
}

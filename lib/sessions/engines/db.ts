import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";
import type { Database } from "../../db/client";
import { databaseFor } from "../../db/client";
import { ImproperlyConfigured, StorageError } from "../errors";
import type {
  ExpiryJudge,
  RemoveResult,
  SessionRecord,
  SessionStorage,
  SwapResult,
} from "../stored";
import { clearExpiredInBatches, StoredSession } from "../stored";

/**
 * The `db` engine (the default): sessions as rows of Django's `django_session`
 * table (`session_key`, `session_data`, `expire_date`), through Prisma, on
 * SQLite or PostgreSQL as `DATABASE_URL` says.
 *
 * Durable as the database is. Sessions are as large as the serialized data
 * (text column, no limit of its own). Expired rows stay until `clearExpired`
 * removes them; they are never loaded meanwhile.
 */

/** Prisma's code for a unique constraint violation: the key is taken. */
const UNIQUE_VIOLATION = "P2002";

export interface DbStorageOptions {
  /**
   * How many expired rows `clearExpired` deletes per statement; default 1000.
   * Smaller batches hold locks for less time, at the cost of more round trips.
   */
  clearExpiredBatchSize?: number;
}

/**
 * Sessions in the `django_session` table of one Prisma client.
 *
 * Self-contained so that `cached_db` can put a cache in front of it. Every
 * database failure (unreachable, refused, timed out) rejects with a
 * `StorageError` whose `cause` is Prisma's error: as in Django, a session
 * that cannot be read is an error, never an empty session. How long a
 * connection attempt may take is the client's setting (lib/db/client.ts).
 * The record's `expireDate` is stored as given, even when already past
 * (Django stores it too), so `ttlSeconds` is not needed.
 */
export class DbStorage implements SessionStorage {
  readonly #database: Database;
  readonly #batchSize: number;

  constructor(database: Database, { clearExpiredBatchSize = 1000 }: DbStorageOptions = {}) {
    if (!Number.isInteger(clearExpiredBatchSize) || clearExpiredBatchSize < 1) {
      throw new ImproperlyConfigured(
        `db: clearExpiredBatchSize must be a positive integer, got ${clearExpiredBatchSize}`,
      );
    }
    this.#database = database;
    this.#batchSize = clearExpiredBatchSize;
  }

  read(sessionKey: string): Promise<SessionRecord | null> {
    return this.#run("read a session", async () => {
      const row = await this.#database.session.findUnique({ where: { sessionKey } });
      return row && { data: row.sessionData, expireDate: row.expireDate };
    });
  }

  async insert(sessionKey: string, record: SessionRecord, _ttlSeconds?: number): Promise<boolean> {
    const data = { sessionKey, ...columns(record) };
    return this.#run("create a session", async () => {
      try {
        await this.#database.session.create({ data });
        return true;
      } catch (error) {
        const taken =
          error instanceof PrismaClientKnownRequestError && error.code === UNIQUE_VIOLATION;
        if (taken) return false;
        throw error;
      }
    });
  }

  async update(sessionKey: string, record: SessionRecord, _ttlSeconds?: number): Promise<boolean> {
    const data = columns(record);
    return this.#run("save a session", async () => {
      // updateMany, not update or upsert: a row deleted meanwhile stays deleted.
      const { count } = await this.#database.session.updateMany({ where: { sessionKey }, data });
      return count === 1;
    });
  }

  /**
   * One conditional UPDATE: the row changes only if it still holds the data
   * this session read. The table stays Django's (no version column): the
   * data itself is the version, compared whole (were it changed and changed
   * back meanwhile, writing over it loses nothing).
   */
  async swap(
    sessionKey: string,
    expected: SessionRecord,
    record: SessionRecord,
  ): Promise<SwapResult> {
    const { sessionData, expireDate } = columns(record);
    return this.#run("save a session", async () => {
      // Every save of a changed session runs this statement. Written out (parameters bound, as
      // any Prisma query), it costs Prisma about a fifth less than `updateMany` with the same
      // condition; the table and its columns are Django's, fixed names on every database.
      const count = await this.#database.$executeRaw`
        UPDATE django_session SET session_data = ${sessionData}, expire_date = ${expireDate}
        WHERE session_key = ${sessionKey} AND session_data = ${expected.data}`;
      if (count === 1) return "saved";
      return (await this.#database.session.count({ where: { sessionKey } })) > 0
        ? "changed"
        : "gone";
    });
  }

  /** One conditional DELETE, compared on the data as `swap` is: a save since the read keeps the row. */
  removeIf(sessionKey: string, expected: SessionRecord): Promise<RemoveResult> {
    return this.#run("delete a session", async () => {
      const count = await this.#database.$executeRaw`
        DELETE FROM django_session WHERE session_key = ${sessionKey} AND session_data = ${expected.data}`;
      if (count === 1) return "removed";
      return (await this.#database.session.count({ where: { sessionKey } })) > 0
        ? "changed"
        : "gone";
    });
  }

  remove(sessionKey: string): Promise<boolean> {
    return this.#run("delete a session", async () => {
      const { count } = await this.#database.session.deleteMany({ where: { sessionKey } });
      return count > 0;
    });
  }

  exists(sessionKey: string): Promise<boolean> {
    return this.#run("look a session up", async () => {
      return (await this.#database.session.count({ where: { sessionKey } })) > 0;
    });
  }

  /** Deletes rows whose `expire_date` is before `judge.now`, in batches (`clearExpiredInBatches`). */
  clearExpired({ now, onProgress }: ExpiryJudge): Promise<number> {
    const expired = { expireDate: { lt: now } };
    return this.#run("clear expired sessions", () =>
      clearExpiredInBatches({
        batchSize: this.#batchSize,
        onProgress,
        expiredKeys: async (limit) => {
          const rows = await this.#database.session.findMany({
            where: expired,
            select: { sessionKey: true },
            take: limit,
          });
          return rows.map((row) => row.sessionKey);
        },
        removeExpired: async (keys) => {
          const { count } = await this.#database.session.deleteMany({
            where: { sessionKey: { in: keys }, ...expired },
          });
          return count;
        },
      }),
    );
  }

  async #run<T>(operation: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      // Prisma's own message may quote the query; ours names what failed and where to look.
      throw new StorageError(`db: could not ${operation} (check DATABASE_URL and the database)`, {
        cause: error,
      });
    }
  }
}

/** The row's columns; the core always dates the records it saves, as `expire_date` requires. */
function columns(record: SessionRecord) {
  if (!record.expireDate) throw new TypeError("sessions: db: a session row needs an expiry date");
  return { sessionData: record.data, expireDate: record.expireDate };
}

/** Django's `django.contrib.sessions.backends.db.SessionStore`, on the database of `DATABASE_URL`. */
export class SessionStore extends StoredSession {
  // The client is shared per URL and connects on its first query, so this costs nothing until used.
  protected readonly storage: SessionStorage = new DbStorage(
    databaseFor(this.settings.DATABASE_URL),
  );
}

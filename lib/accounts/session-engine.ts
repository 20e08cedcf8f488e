import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";
import type { Database } from "@/lib/db/client";
import { databaseFor } from "@/lib/db/client";
import type {
  ExpiryJudge,
  RemoveResult,
  SessionData,
  SessionRecord,
  SessionStorage,
  SwapResult,
} from "@/lib/sessions";
import { clearExpiredInBatches, StorageError, StoredSession } from "@/lib/sessions";
import { DEVICE_KEY, USER_ID_KEY } from "./session-keys";

/**
 * The `accounts` session engine (`SESSION_ENGINE=accounts`): Django's
 * `django_session` columns in `accounts_session`, plus who the session
 * belongs to and which device it is on, Django's `AbstractBaseSession` with
 * extra fields. It is what lets an account list its sessions and end the
 * others by deleting their rows.
 *
 * The extra columns are derived from the session data on every save
 * (`_auth_user_id`, `_device`), as Django's `create_model_instance` does, so
 * they can never disagree with what the session says.
 */

/** What the extra columns need from a record's data. */
type Describe = (encoded: string) => SessionData;

const UNIQUE_VIOLATION = "P2002";

export class AccountSessionStorage implements SessionStorage {
  constructor(
    private readonly database: Database,
    private readonly describe: Describe,
    /** Expired rows deleted per statement by `clearExpired`. */
    private readonly batchSize = 1000,
  ) {}

  read(sessionKey: string): Promise<SessionRecord | null> {
    return run("read a session", async () => {
      const row = await this.database.accountSession.findUnique({ where: { sessionKey } });
      return row && { data: row.sessionData, expireDate: row.expireDate };
    });
  }

  insert(sessionKey: string, record: SessionRecord): Promise<boolean> {
    return run("create a session", async () => {
      try {
        await this.database.accountSession.create({
          data: { sessionKey, ...this.columns(record) },
        });
        return true;
      } catch (error) {
        if (error instanceof PrismaClientKnownRequestError && error.code === UNIQUE_VIOLATION) {
          return false;
        }
        throw error;
      }
    });
  }

  update(sessionKey: string, record: SessionRecord): Promise<boolean> {
    return run("save a session", async () => {
      // updateMany: a row deleted meanwhile (a logout elsewhere) stays deleted.
      const { count } = await this.database.accountSession.updateMany({
        where: { sessionKey },
        data: this.columns(record),
      });
      return count === 1;
    });
  }

  /** A conditional update, as the `db` engine's: concurrent requests keep each other's changes. */
  swap(sessionKey: string, expected: SessionRecord, record: SessionRecord): Promise<SwapResult> {
    return run("save a session", async () => {
      const { count } = await this.database.accountSession.updateMany({
        where: { sessionKey, sessionData: expected.data },
        data: this.columns(record),
      });
      if (count === 1) return "saved";
      const found = await this.database.accountSession.count({ where: { sessionKey } });
      return found > 0 ? "changed" : "gone";
    });
  }

  /** A conditional delete, as the `db` engine's: a save since the read keeps the row. */
  removeIf(sessionKey: string, expected: SessionRecord): Promise<RemoveResult> {
    return run("delete a session", async () => {
      const { count } = await this.database.accountSession.deleteMany({
        where: { sessionKey, sessionData: expected.data },
      });
      if (count === 1) return "removed";
      const found = await this.database.accountSession.count({ where: { sessionKey } });
      return found > 0 ? "changed" : "gone";
    });
  }

  /** Whether a row was deleted: of two logins rotating one session, only one may win. */
  remove(sessionKey: string): Promise<boolean> {
    return run("delete a session", async () => {
      const { count } = await this.database.accountSession.deleteMany({ where: { sessionKey } });
      return count > 0;
    });
  }

  exists(sessionKey: string): Promise<boolean> {
    return run("look a session up", async () => {
      return (await this.database.accountSession.count({ where: { sessionKey } })) > 0;
    });
  }

  /** Deletes rows expired before `judge.now`, in batches, as the `db` engine does. */
  clearExpired({ now, onProgress }: ExpiryJudge): Promise<number> {
    const expired = { expireDate: { lt: now } };
    return run("clear expired sessions", () =>
      clearExpiredInBatches({
        batchSize: this.batchSize,
        onProgress,
        expiredKeys: async (limit) => {
          const rows = await this.database.accountSession.findMany({
            where: expired,
            select: { sessionKey: true },
            take: limit,
          });
          return rows.map((row) => row.sessionKey);
        },
        removeExpired: async (keys) => {
          const { count } = await this.database.accountSession.deleteMany({
            where: { sessionKey: { in: keys }, ...expired },
          });
          return count;
        },
      }),
    );
  }

  /** The row's columns; the account and device come from the data itself. */
  private columns(record: SessionRecord) {
    if (!record.expireDate) throw new TypeError("accounts: a session row needs an expiry date");
    const data = this.describe(record.data);
    const device = typeof data[DEVICE_KEY] === "string" ? data[DEVICE_KEY].slice(0, 200) : "";
    return {
      sessionData: record.data,
      expireDate: record.expireDate,
      userId: userIdOf(data),
      device,
      lastSeen: new Date(),
    };
  }
}

/** The account a session's data names, if any (Django stores the id as a string). */
function userIdOf(data: SessionData): number | null {
  const id = Number(data[USER_ID_KEY]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function run<T>(operation: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw new StorageError(`accounts: could not ${operation} (check DATABASE_URL)`, {
      cause: error,
    });
  }
}

/** The `accounts` engine's `SessionStore`, on the database of `DATABASE_URL`. */
export class SessionStore extends StoredSession {
  protected readonly storage: SessionStorage = new AccountSessionStorage(
    databaseFor(this.settings.DATABASE_URL),
    (encoded) => this.decode(encoded),
  );
}

import type { SessionData } from "./base";
import { EXPIRY_KEY, SessionBase, storedExpiry } from "./base";
import { CreateError, UpdateError } from "./errors";

/**
 * Sessions kept on the server (database, cache, files): the behaviour of
 * Django's `db`/`cache`/`file` backends in one place, on top of a small
 * storage interface that each engine implements.
 */

/** A session as a storage keeps it. */
export interface SessionRecord {
  /** The encoded, signed data (`SessionBase.encode`). */
  data: string;
  /**
   * When the record expires. `null` when the storage does not record it:
   * either it expires records by itself (a cache's TTL), or it knows only
   * when the record was last written (`modifiedAt`, as Django's files).
   */
  expireDate: Date | null;
  /** When the record was last written, for storages that keep no expiry date. */
  modifiedAt?: Date;
}

/** What `clearExpired` needs from the core to judge a record that carries no date. */
export interface ExpiryJudge {
  now: Date;
  /** The record's expiry, decoding its data if the storage recorded no date. */
  expireDateOf(record: SessionRecord): Promise<Date>;
  /** Called as records are removed, for progress on long runs. */
  onProgress?(removed: number): void;
}

/**
 * The five things a server-side engine does. Keys reaching a storage have
 * already been validated (`a-z0-9`, 8 to 40 characters).
 */
export interface SessionStorage {
  /** The record, expired or not; null when there is none. */
  read(sessionKey: string): Promise<SessionRecord | null>;
  /** Insert only: false when the key is taken. `ttlSeconds` ≤ 0 means already expired. */
  insert(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean>;
  /** Update only: false when the record is gone. Never recreates it. */
  update(sessionKey: string, record: SessionRecord, ttlSeconds: number): Promise<boolean>;
  /** Deletes the record; a missing record is not an error. */
  remove(sessionKey: string): Promise<void>;
  /** Whether a record exists, expired or not. */
  exists(sessionKey: string): Promise<boolean>;
  /** Deletes expired records; returns how many. */
  clearExpired(judge: ExpiryJudge): Promise<number>;
}

/** Keys a server-side store accepts: what this library and Django generate, nothing else. */
const STORED_KEY = /^[a-z0-9]{8,40}$/;

/** How many fresh keys `create` tries before deciding the store is not answering truthfully. */
const CREATE_ATTEMPTS = 100;

export abstract class StoredSession extends SessionBase {
  /** The storage of this engine, built from the settings. */
  protected abstract readonly storage: SessionStorage;

  protected override isValidSessionKey(key: string): boolean {
    return STORED_KEY.test(key);
  }

  async exists(sessionKey: string): Promise<boolean> {
    return STORED_KEY.test(sessionKey) && this.storage.exists(sessionKey);
  }

  async load(): Promise<SessionData> {
    const key = this.sessionKey;
    const record = key ? await this.storage.read(key) : null;
    if (record) {
      const data = this.decode(record.data);
      const expireDate = await this.expireDateOf(record, data);
      if (expireDate.getTime() > Date.now()) return data;
    }
    // Unknown or expired: never adopt the key, never create a record for it.
    this.setSessionKey(null);
    return {};
  }

  async create(): Promise<void> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      this.setSessionKey(await this.newSessionKey());
      try {
        await this.save(true);
      } catch (error) {
        if (error instanceof CreateError) continue;
        throw error;
      }
      this.modified = true;
      return;
    }
    throw new CreateError(`no free session key after ${CREATE_ATTEMPTS} attempts`);
  }

  async save(mustCreate = false): Promise<void> {
    this.assertWritable();
    if (this.sessionKey === null) return this.create();
    const key = this.sessionKey;
    const data = await this.session(mustCreate);
    const record: SessionRecord = {
      data: this.encode(data),
      expireDate: await this.getExpiryDate(),
    };
    const ttl = await this.getExpiryAge();
    if (mustCreate) {
      if (!(await this.storage.insert(key, record, ttl)))
        throw new CreateError("session key taken");
    } else if (!(await this.storage.update(key, record, ttl))) {
      throw new UpdateError("the session was deleted before it could be saved");
    }
  }

  async destroy(sessionKey: string | null = this.sessionKey): Promise<void> {
    this.assertWritable();
    if (sessionKey === null || !STORED_KEY.test(sessionKey)) return;
    await this.storage.remove(sessionKey);
  }

  /** Removes expired sessions of this engine; returns how many (Django's `clear_expired`). */
  static async clearExpired(
    this: new () => StoredSession,
    options: { onProgress?(removed: number): void } = {},
  ): Promise<number> {
    const store = new this();
    return store.storage.clearExpired({
      now: new Date(),
      expireDateOf: (record) => store.expireDateOf(record, store.decode(record.data)),
      onProgress: options.onProgress,
    });
  }

  /** A record's expiry: stored, or derived from its last write as Django's file backend does. */
  protected async expireDateOf(record: SessionRecord, data: SessionData): Promise<Date> {
    if (record.expireDate) return record.expireDate;
    if (!record.modifiedAt) return new Date(8.64e15); // the storage expires records itself
    return this.getExpiryDate({
      modification: record.modifiedAt,
      expiry: storedExpiry(data[EXPIRY_KEY]),
    });
  }
}

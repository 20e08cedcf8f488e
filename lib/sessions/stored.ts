import type { SessionData } from "./base";
import { EXPIRY_KEY, SessionBase, storedExpiry } from "./base";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChangeLog } from "./changes";
import { ChangeConflict, CreateError, SessionInterrupted, UpdateError } from "./errors";

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
  /**
   * What the storage tells this version of the record by, when it has more
   * than the data (memcached's CAS unique): `swap` may compare it instead.
   * Set by `read` only; a record this library writes has none.
   */
  version?: string;
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
  /**
   * Deletes the record; a missing record is not an error. Returns whether a
   * record was removed, if the storage can tell (`cycleKey` uses it to let
   * only one of two racing logins win).
   */
  remove(sessionKey: string): Promise<boolean | void>;
  /** Whether a record exists, expired or not. */
  exists(sessionKey: string): Promise<boolean>;
  /** Deletes expired records; returns how many. */
  clearExpired(judge: ExpiryJudge): Promise<number>;
  /**
   * Optional, and what makes concurrent requests safe: writes `record` only
   * if the stored record still has `expected`'s data, atomically. "changed":
   * someone saved meanwhile (the session re-reads and replays its changes);
   * "gone": the record was deleted (a logout) and stays deleted. Without it,
   * a save replaces the whole record, as in Django.
   */
  swap?(
    sessionKey: string,
    expected: SessionRecord,
    record: SessionRecord,
    ttlSeconds: number,
  ): Promise<SwapResult>;
  /**
   * Optional, and what makes a key change safe (a login's `cycleKey`, a
   * logout's `flush`): deletes the record only if it still holds
   * `expected`'s data, atomically. "changed": someone saved meanwhile, and
   * the record stays; "gone": there was none. Without it, the old record is
   * deleted whatever it holds, as in Django.
   */
  removeIf?(sessionKey: string, expected: SessionRecord): Promise<RemoveResult>;
}

export type SwapResult = "saved" | "changed" | "gone";
export type RemoveResult = "removed" | "changed" | "gone";

/** What a table-backed storage gives `clearExpiredInBatches`. */
export interface ExpiredRows {
  /** Rows per statement; smaller batches hold locks for less time, at the cost of more round trips. */
  batchSize: number;
  /** Keys of up to `limit` rows expired before `now`. */
  expiredKeys(limit: number): Promise<string[]>;
  /** Deletes the rows of `keys` that are still expired (one may have been saved since); how many. */
  removeExpired(keys: string[]): Promise<number>;
  onProgress?(removed: number): void;
}

/**
 * `clearExpired` for a table: a batch of keys at a time, so that no
 * statement locks the table for long, reporting the running total after
 * each batch; returns how many rows went.
 */
export async function clearExpiredInBatches(rows: ExpiredRows): Promise<number> {
  let removed = 0;
  for (;;) {
    const keys = await rows.expiredKeys(rows.batchSize);
    if (keys.length === 0) break;
    removed += await rows.removeExpired(keys);
    rows.onProgress?.(removed);
    if (keys.length < rows.batchSize) break;
  }
  return removed;
}

/** Keys a server-side store accepts: what this library and Django generate, nothing else. */
const STORED_KEY = /^[a-z0-9]{8,40}$/;

/** How many fresh keys `create` tries before deciding the store is not answering truthfully. */
const CREATE_ATTEMPTS = 100;

/**
 * How many times a save re-reads and replays its changes when others keep
 * saving the same session first. Each lost round means another request
 * saved, so the session as a whole makes progress; running out means
 * hundreds of requests at once on one session.
 */
const SWAP_ATTEMPTS = 100;

export abstract class StoredSession extends SessionBase {
  /** The storage of this engine, built from the settings. */
  protected abstract readonly storage: SessionStorage;
  /** The record as this session last read or wrote it: what a conditional save expects. */
  #stored: SessionRecord | null = null;

  protected override isValidSessionKey(key: string): boolean {
    return STORED_KEY.test(key);
  }

  async exists(sessionKey: string): Promise<boolean> {
    return STORED_KEY.test(sessionKey) && this.storage.exists(sessionKey);
  }

  async load(): Promise<SessionData> {
    const key = this.sessionKey;
    const live = key ? await this.#readLive(key) : null;
    this.#stored = live?.record ?? null;
    if (live) return live.data;
    // Unknown or expired: never adopt the key, never create a record for it.
    this.setSessionKey(null);
    return {};
  }

  /** The stored record and its data, or null when there is none or it has expired. */
  async #readLive(key: string): Promise<{ record: SessionRecord; data: SessionData } | null> {
    const record = await this.storage.read(key);
    if (!record) return null;
    const data = this.decode(record.data);
    return this.expireDateOf(record, data).getTime() > Date.now() ? { record, data } : null;
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
    if (!mustCreate && this.storage.swap) return this.#merge(key, data);
    const { record, ttl } = this.#recordOf(data);
    if (mustCreate) {
      if (!(await this.storage.insert(key, record, ttl)))
        throw new CreateError("session key taken");
    } else if (!(await this.storage.update(key, record, ttl))) {
      throw new UpdateError("the session was deleted before it could be saved");
    }
    this.#saved(record, data);
  }

  /**
   * Saves by conditional writes: this session's data when nobody saved since
   * it was read; otherwise its changes replayed on what is stored now.
   */
  async #merge(key: string, data: SessionData): Promise<void> {
    let expected = this.#stored;
    // The first attempt writes the data as it is (values changed in place included).
    let next = expected ? data : null;
    for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
      if (!expected || !next) {
        const live = await this.#readLive(key);
        if (!live) throw new UpdateError("the session was deleted before it could be saved");
        expected = live.record;
        next = this.#replayOn(live.data);
      }
      const { record, ttl } = this.#recordOf(next);
      const result = await this.storage.swap!(key, expected, record, ttl);
      if (result === "saved") return this.#saved(record, next);
      if (result === "gone")
        throw new UpdateError("the session was deleted before it could be saved");
      expected = next = null;
      // A random pause, growing with each loss, so that requests that just lost to each
      // other do not collide again in lockstep.
      await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
    throw new UpdateError(`the session changed under ${SWAP_ATTEMPTS} saves in a row`);
  }

  /**
   * This request's changes on what another request saved. An alteration is
   * pure, so one that throws here did not throw on this request's own data:
   * the other request's value is what it refuses.
   */
  #replayOn(saved: SessionData, changes = this.changes): SessionData {
    try {
      return changes.applyTo(saved);
    } catch (error) {
      throw new ChangeConflict(
        "a change could not be made again on what another request saved meanwhile",
        { cause: error },
      );
    }
  }

  #recordOf(data: SessionData): { record: SessionRecord; ttl: number } {
    const expiry = storedExpiry(data[EXPIRY_KEY]);
    const record = { data: this.encode(data), expireDate: this.expiryDate(expiry) };
    return { record, ttl: this.expiryAge(expiry) };
  }

  /** What was stored is now what this session holds; its changes are done. */
  #saved(record: SessionRecord, data: SessionData) {
    this.#stored = record;
    this.setCache(data);
    this.changes.reset();
  }

  /**
   * Django's `cycle_key`, safe against races. The old record is deleted only
   * as this session read it: a save another request made meanwhile (an
   * autosave during a login) is first carried over to the new key, with this
   * session's own changes replayed on it, key by key as in `save`. Of two
   * requests rotating (or one rotating, one flushing) the same session at
   * once, only the one that deletes the old record keeps its new key; the
   * other deletes the record it just created and gets `SessionInterrupted`:
   * one login, one live key.
   */
  override async cycleKey(): Promise<void> {
    this.assertWritable();
    const data = await this.session();
    const oldKey = this.sessionKey;
    const read = this.#stored;
    // `create` stores the changes under the new key and forgets them; a replay needs them.
    const changes = this.changes.copy();
    await this.create();
    this.setCache(data);
    if (oldKey) await this.#retire(oldKey, read, changes);
  }

  /** Deletes the record a rotation left behind, carrying over whatever was saved on it since `read`. */
  async #retire(oldKey: string, read: SessionRecord | null, changes: ChangeLog): Promise<void> {
    let expected = read;
    for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
      const result = await this.#removeIf(oldKey, expected);
      if (result === "removed") return;
      const live = result === "changed" ? await this.#readLive(oldKey) : null;
      if (!live) break;
      expected = live.record;
      const merged = this.#replayOn(live.data, changes);
      const { record, ttl } = this.#recordOf(merged);
      // Nobody else knows the new key yet: a plain update cannot lose anyone's save.
      if (!(await this.storage.update(this.sessionKey!, record, ttl))) break;
      this.#saved(record, merged);
    }
    await this.storage.remove(this.sessionKey!);
    this.setSessionKey(null);
    throw new SessionInterrupted(
      "the session was rotated or ended by another request at the same moment",
    );
  }

  /** Conditional where the storage can be and this session knows what it read; otherwise plain. */
  async #removeIf(key: string, expected: SessionRecord | null): Promise<RemoveResult> {
    if (expected && this.storage.removeIf) return this.storage.removeIf(key, expected);
    return (await this.storage.remove(key)) === false ? "gone" : "removed";
  }

  /**
   * Django's `flush` (logout), which never deletes a save it has not seen:
   * when another request saved the session after this one read it, nothing
   * is deleted, this session reads what is stored now, and `ChangeConflict`
   * says so (a 409 in Next.js), so the caller may look again and retry.
   */
  override async flush(): Promise<void> {
    this.assertWritable();
    const key = this.sessionKey;
    if (key && (await this.#removeIf(key, this.#stored)) === "changed") {
      const live = await this.#readLive(key);
      if (live) {
        this.#stored = live.record;
        this.setCache(live.data);
        this.changes.reset();
        throw new ChangeConflict(
          "the session was saved by another request after this one read it; nothing was deleted",
        );
      }
    }
    this.clear();
    this.#stored = null;
    this.setSessionKey(null);
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
      expireDateOf: async (record) => store.expireDateOf(record, store.decode(record.data)),
      onProgress: options.onProgress,
    });
  }

  /** A record's expiry: stored, or derived from its last write as Django's file backend does. */
  protected expireDateOf(record: SessionRecord, data: SessionData): Date {
    if (record.expireDate) return record.expireDate;
    if (!record.modifiedAt) return new Date(8.64e15); // the storage expires records itself
    return this.expiryDate(storedExpiry(data[EXPIRY_KEY]), record.modifiedAt);
  }
}

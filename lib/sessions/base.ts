import { randomInt } from "node:crypto";
import type { Settings } from "../settings";
import { settings as projectSettings } from "../settings";
import type { Alteration } from "./changes";
import { ChangeLog } from "./changes";
import { MissingKey, SessionReadOnly, SuspiciousSession } from "./errors";
import { keyFingerprint, logSuspicious } from "./log";
import type { Json, Serializer, SessionData } from "./serializers";
import { assertJson, serializerFor } from "./serializers";
import { BadSignature, dumps, loads, PayloadTooLarge } from "./signing";

export type { Json, SessionData };

/**
 * How long a session lives (`setExpiry`):
 * - a number: seconds of inactivity; `0` means "until the browser closes";
 * - a `Date`: an absolute moment;
 * - `{ seconds }`: like Python's `timedelta`, fixed to now + seconds when set;
 * - `null`: back to the global policy (`SESSION_COOKIE_AGE`,
 *   `SESSION_EXPIRE_AT_BROWSER_CLOSE`).
 */
export type Expiry = number | Date | { seconds: number } | null;

/** What `getExpiryAge`/`getExpiryDate` accept to override "now" and the stored expiry. */
export interface ExpiryOptions {
  modification?: Date;
  expiry?: number | Date | string | null;
}

export interface SessionOptions {
  /** Overrides of the process settings, for this store only (tests, several databases). */
  settings?: Partial<Settings>;
}

/** The characters of a session key: lower-case letters and digits. */
export const VALID_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
/** 32 characters of 36 possibilities: about 165 bits from a CSPRNG. */
export const SESSION_KEY_LENGTH = 32;
/** Where the per-session expiry is kept in the data, as in Django. */
export const EXPIRY_KEY = "_session_expiry";

const TEST_COOKIE_NAME = "testcookie";
const TEST_COOKIE_VALUE = "worked";

/** A new session key from the CSPRNG (not yet checked against the store). */
export function randomSessionKey(): string {
  let key = "";
  for (let i = 0; i < SESSION_KEY_LENGTH; i++)
    key += VALID_KEY_CHARS[randomInt(VALID_KEY_CHARS.length)];
  return key;
}

/** Stored sessions' JSON is compressed from this size on (see `encode`). */
export const COMPRESS_FROM_BYTES = 2048;

/**
 * From this size on, stored sessions' JSON is deflated at zlib's fastest
 * level: on escaped non-ASCII text (`\uXXXX`), the default level took about
 * ten times as long for 15% less, and a session near the cap is deflated on
 * every save.
 */
export const FAST_COMPRESS_FROM_BYTES = 16 * 1024;

/**
 * Django's `SessionBase`: a lazily loaded dictionary with `accessed` and
 * `modified` flags, expiry rules, key handling and signed encoding. Engines
 * extend it and implement only storage: `exists`, `create`, `save`,
 * `destroy` (Django's `delete`) and `load`.
 *
 * Every dictionary method is async because the first one may load from the
 * store; `clear()` and `isEmpty()` never load, as in Django.
 */
export abstract class SessionBase {
  /** The salt of `encode`/`decode`; Django's `key_salt` for its `SessionStore` classes. */
  protected static readonly keySalt: string = "django.contrib.sessions.SessionStore";

  /** Set by any read (or `clear`): the response then varies on the cookie. */
  accessed = false;
  /** Set by any write: the session must be saved and the cookie sent. */
  modified = false;

  protected readonly settings: Settings;
  protected readonly serializer: Serializer;
  #sessionKey: string | null = null;
  #cache: SessionData | undefined;
  #loading: Promise<SessionData> | undefined;
  #readOnly: string | null = null;
  /** The changes since the session was loaded or last saved, for stores that merge on save. */
  protected readonly changes = new ChangeLog();

  constructor(sessionKey?: string | null, options: SessionOptions = {}) {
    this.settings = { ...projectSettings(), ...options.settings };
    this.serializer = serializerFor(this.settings.SESSION_SERIALIZER);
    this.setSessionKey(sessionKey ?? null);
  }

  /** The current key, or null when there is none (yet, or any more). */
  get sessionKey(): string | null {
    return this.#sessionKey;
  }

  /** Invalid keys (empty, shorter than 8 characters, or refused by the engine) become null. */
  protected setSessionKey(value: string | null) {
    this.#sessionKey = value && this.isValidSessionKey(value) ? value : null;
  }

  /** Django's rule: at least 8 characters. Engines may be stricter. */
  protected isValidSessionKey(key: string): boolean {
    return key.length >= 8;
  }

  /**
   * Refuses every later change with `SessionReadOnly(message)`: for places
   * where a change could never reach the browser (Server Components).
   */
  lockWrites(message: string) {
    this.#readOnly = message;
  }

  /** False where writes are locked (`lockWrites`): a change would throw `SessionReadOnly`. */
  get writable(): boolean {
    return this.#readOnly === null;
  }

  /** Throws `SessionReadOnly` when writes are locked; engines call it before touching storage. */
  protected assertWritable() {
    if (this.#readOnly) throw new SessionReadOnly(this.#readOnly);
  }

  // ---- the dictionary -------------------------------------------------------

  /** The data, loaded on first use; `noLoad` starts from empty instead (for a new record). */
  protected async session(noLoad = false): Promise<SessionData> {
    this.accessed = true;
    if (this.#cache) return this.#cache;
    if (this.#sessionKey === null || noLoad) {
      this.#cache = Object.create(null) as SessionData;
      return this.#cache;
    }
    // Two reads racing before the first load completes share one load; a failed
    // load is not remembered, so a later read may try again.
    this.#loading ??= this.load().then(
      (data) => {
        this.#cache ??= toDictionary(data);
        this.#loading = undefined;
        return this.#cache;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /** Replaces the loaded data without touching the flags (engines and `cycleKey` use it). */
  protected setCache(data: SessionData) {
    this.#cache = toDictionary(data);
  }

  async get(key: string): Promise<Json | undefined>;
  async get(key: string, defaultValue: Json): Promise<Json>;
  async get(key: string, defaultValue?: Json): Promise<Json | undefined> {
    const data = await this.session();
    return Object.hasOwn(data, key) ? data[key] : defaultValue;
  }

  /** Stores a value; values JSON cannot carry are refused here, not at save time. */
  async set(key: string, value: Json): Promise<void> {
    this.assertWritable();
    assertJson(value, key);
    const data = await this.session();
    data[key] = value;
    this.changes.set(key, value);
    this.modified = true;
  }

  /** Removes a key; `MissingKey` when it is not there (Python's `KeyError`). */
  async delete(key: string): Promise<void> {
    this.assertWritable();
    const data = await this.session();
    if (!Object.hasOwn(data, key)) throw new MissingKey(key);
    delete data[key];
    this.changes.delete(key);
    this.modified = true;
  }

  /**
   * Beyond Django: sets a key to what `alteration` makes of its current value
   * (`undefined` when absent; returning `undefined` removes the key). Where
   * the store merges on save (`db`, `cache`, `cached_db`, `file`, and any
   * custom storage with `swap`), a request
   * that saved the same key meanwhile does not lose its change: the
   * alteration runs again on the value that request saved. So it must be
   * pure and must not mutate its argument. With the cookie engines the last
   * cookie written wins, as with `set`.
   */
  async alter(key: string, alteration: Alteration): Promise<void> {
    this.assertWritable();
    const data = await this.session();
    const value = alteration(Object.hasOwn(data, key) ? data[key] : undefined);
    if (value === undefined) delete data[key];
    else {
      assertJson(value, key);
      data[key] = value;
    }
    this.changes.alter(key, alteration);
    this.modified = true;
  }

  async has(key: string): Promise<boolean> {
    return Object.hasOwn(await this.session(), key);
  }

  /** Removes and returns a value; `MissingKey` when absent and no default is given. */
  async pop(key: string, ...defaultValue: [Json?]): Promise<Json> {
    const data = await this.session();
    if (Object.hasOwn(data, key)) {
      this.assertWritable();
      const value = data[key]!;
      delete data[key];
      this.changes.delete(key);
      this.modified = true;
      return value;
    }
    if (defaultValue.length === 0) throw new MissingKey(key);
    return defaultValue[0] as Json;
  }

  async setDefault(key: string, value: Json): Promise<Json> {
    const data = await this.session();
    if (Object.hasOwn(data, key)) return data[key]!;
    await this.set(key, value);
    return value;
  }

  async update(values: SessionData): Promise<void> {
    this.assertWritable();
    for (const [key, value] of Object.entries(values)) assertJson(value, key);
    Object.assign(await this.session(), values);
    for (const [key, value] of Object.entries(values)) this.changes.set(key, value);
    this.modified = true;
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.session());
  }

  async values(): Promise<Json[]> {
    return Object.values(await this.session());
  }

  async items(): Promise<[string, Json][]> {
    return Object.entries(await this.session());
  }

  /** Empties the data without loading it: nothing stored is read, everything is replaced. */
  clear(): void {
    this.assertWritable();
    this.#cache = Object.create(null) as SessionData;
    this.#loading = undefined;
    this.changes.clear();
    this.accessed = true;
    this.modified = true;
  }

  /** True when there is no key and no data; never loads. */
  isEmpty(): boolean {
    if (this.#sessionKey) return false;
    return this.#cache === undefined || Object.keys(this.#cache).length === 0;
  }

  // ---- keys -------------------------------------------------------------------

  /** A key that no record uses yet. */
  protected async newSessionKey(): Promise<string> {
    for (;;) {
      const key = randomSessionKey();
      if (!(await this.exists(key))) return key;
    }
  }

  protected async getOrCreateSessionKey(): Promise<string> {
    this.#sessionKey ??= await this.newSessionKey();
    return this.#sessionKey;
  }

  /** Empties the session, deletes its record and forgets the key (logout). */
  async flush(): Promise<void> {
    this.clear();
    await this.destroy();
    this.setSessionKey(null);
  }

  /** Same data under a new key; the old record is deleted (login: defeats session fixation). */
  async cycleKey(): Promise<void> {
    this.assertWritable();
    const data = await this.session();
    const oldKey = this.#sessionKey;
    await this.create();
    this.setCache(data);
    if (oldKey) await this.destroy(oldKey);
  }

  // ---- expiry -----------------------------------------------------------------

  /** The cookie age of this session's class; override to vary it (Django's hook). */
  getSessionCookieAge(): number {
    return this.settings.SESSION_COOKIE_AGE;
  }

  /** The expiry to use: the one given, or the one stored in the session. */
  async #expiry(options: ExpiryOptions): Promise<number | Date | string | null | undefined> {
    return "expiry" in options ? options.expiry : storedExpiry(await this.get(EXPIRY_KEY));
  }

  /** Seconds from `modification` (default now) until the session expires. */
  async getExpiryAge(options: ExpiryOptions = {}): Promise<number> {
    return this.expiryAge(await this.#expiry(options), options.modification);
  }

  /** The moment the session expires, from `modification` (default now). */
  async getExpiryDate(options: ExpiryOptions = {}): Promise<Date> {
    return this.expiryDate(await this.#expiry(options), options.modification);
  }

  /**
   * `getExpiryAge` for an expiry already known. Synchronous, for the engines:
   * every save computes it, and each `await` on a request's path costs a
   * promise that Next.js' async context tracking follows.
   */
  protected expiryAge(expiry: ExpiryOptions["expiry"], modification = new Date()): number {
    if (!expiry) return this.getSessionCookieAge();
    if (typeof expiry === "number") return expiry;
    const at = expiry instanceof Date ? expiry : parseIsoDate(expiry);
    return Math.floor((at.getTime() - modification.getTime()) / 1000);
  }

  /** `getExpiryDate` for an expiry already known; synchronous, like `expiryAge`. */
  protected expiryDate(expiry: ExpiryOptions["expiry"], modification = new Date()): Date {
    if (expiry instanceof Date) return expiry;
    if (typeof expiry === "string") return parseIsoDate(expiry);
    const seconds = typeof expiry === "number" && expiry ? expiry : this.getSessionCookieAge();
    return new Date(modification.getTime() + seconds * 1000);
  }

  /** Sets this session's expiry; see `Expiry`. */
  async setExpiry(value: Expiry): Promise<void> {
    if (value === null) {
      if (await this.has(EXPIRY_KEY)) await this.delete(EXPIRY_KEY);
      return;
    }
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new TypeError("sessions: setExpiry takes whole seconds");
      return this.set(EXPIRY_KEY, value);
    }
    const at = value instanceof Date ? value : new Date(Date.now() + value.seconds * 1000);
    if (Number.isNaN(at.getTime())) throw new TypeError("sessions: setExpiry got an invalid date");
    await this.set(EXPIRY_KEY, toPythonIsoFormat(at));
  }

  /** Whether the cookie should end with the browser session (no Max-Age/Expires). */
  async getExpireAtBrowserClose(): Promise<boolean> {
    return this.#endsWithBrowser(await this.get(EXPIRY_KEY));
  }

  #endsWithBrowser(expiry: Json | undefined): boolean {
    if (expiry === undefined || expiry === null)
      return this.settings.SESSION_EXPIRE_AT_BROWSER_CLOSE;
    return expiry === 0;
  }

  /**
   * The session cookie's Max-Age, as Django's middleware works it out: null
   * when `getExpireAtBrowserClose()`, else `getExpiryAge()`. One read of the
   * data for what the end of every request asks (each `await` costs a promise).
   */
  async cookieMaxAge(): Promise<number | null> {
    const expiry = (await this.session())[EXPIRY_KEY];
    return this.#endsWithBrowser(expiry) ? null : this.expiryAge(storedExpiry(expiry));
  }

  // ---- the test cookie ----------------------------------------------------------

  async setTestCookie(): Promise<void> {
    await this.set(TEST_COOKIE_NAME, TEST_COOKIE_VALUE);
  }

  async testCookieWorked(): Promise<boolean> {
    return (await this.get(TEST_COOKIE_NAME)) === TEST_COOKIE_VALUE;
  }

  async deleteTestCookie(): Promise<void> {
    await this.delete(TEST_COOKIE_NAME);
  }

  // ---- encoding -------------------------------------------------------------------

  protected get keySalt(): string {
    return (this.constructor as typeof SessionBase).keySalt;
  }

  /**
   * Django's `signing.dumps` of the data, salted for stored sessions.
   * Compressed, as Django does, but only from `COMPRESS_FROM_BYTES` of JSON:
   * below that, zlib costs more time on every save and load than the few
   * hundred bytes it saves in the store are worth. Django reads both forms.
   * Throws `SessionTooLarge` when the data serializes to more than
   * `SESSION_MAX_SIZE` bytes: the check every server-side engine's save
   * passes before it writes anything.
   */
  encode(data: SessionData): string {
    return dumps(data, {
      key: this.settings.SECRET_KEY,
      fallbackKeys: this.settings.SECRET_KEY_FALLBACKS,
      salt: this.keySalt,
      serializer: this.serializer,
      compress: true,
      compressFrom: COMPRESS_FROM_BYTES,
      fastCompressFrom: FAST_COMPRESS_FROM_BYTES,
      maxBytes: this.settings.SESSION_MAX_SIZE,
    });
  }

  /**
   * The data of an encoded session; `{}` and a security log line for
   * anything tampered or corrupt. Also `{}` for a record larger than
   * `SESSION_MAX_SIZE` could have produced (written before the cap, or by a
   * Django app sharing the store): it is refused by its length, before its
   * signature is checked, so no visitor's cookie makes every request decode
   * megabytes. The next save of the session replaces it.
   */
  decode(text: string): SessionData {
    const decoded = this.#decoded(text);
    if (typeof decoded !== "string") return decoded;
    logSuspicious(decoded, this.fingerprint());
    return {};
  }

  /**
   * The data of an encoded session, or `SuspiciousSession` for anything that
   * `decode` would read as `{}`: for maintenance that must not take a session
   * it cannot verify (wrong `SECRET_KEY`, a missing fallback) for an empty one.
   */
  decodeVerified(text: string): SessionData {
    const decoded = this.#decoded(text);
    if (typeof decoded === "string") throw new SuspiciousSession(decoded);
    return decoded;
  }

  /** The data, or why there is none to trust. */
  #decoded(text: string): SessionData | string {
    try {
      const data = loads(text, {
        key: this.settings.SECRET_KEY,
        fallbackKeys: this.settings.SECRET_KEY_FALLBACKS,
        salt: this.keySalt,
        serializer: this.serializer,
        maxBytes: this.settings.SESSION_MAX_SIZE,
      });
      return isDictionary(data) ? data : "Session data is not a dictionary";
    } catch (error) {
      if (!(error instanceof BadSignature)) throw error;
      return error instanceof PayloadTooLarge
        ? "Session data larger than SESSION_MAX_SIZE allows, read as empty"
        : "Session data corrupted";
    }
  }

  /** The key's fingerprint for log lines; never the key itself. */
  protected fingerprint(): string | undefined {
    return this.#sessionKey
      ? keyFingerprint(this.#sessionKey, this.settings.SECRET_KEY)
      : undefined;
  }

  // ---- what an engine implements ------------------------------------------------------

  /** Whether a record with this key exists (expired or not). */
  abstract exists(sessionKey: string): Promise<boolean>;
  /** Saves the current data under a new unique key. */
  abstract create(): Promise<void>;
  /** `mustCreate`: insert only (`CreateError` on a clash); otherwise update only (`UpdateError` if gone). */
  abstract save(mustCreate?: boolean): Promise<void>;
  /** Deletes a record (default: this session's); a missing record is not an error. Django's `delete()`. */
  abstract destroy(sessionKey?: string | null): Promise<void>;
  /** The stored data; unknown or expired keys give `{}` and a null key. Never creates a record. */
  abstract load(): Promise<SessionData>;
}

/** The stored `_session_expiry`: seconds or an ISO date; anything else counts as none. */
export function storedExpiry(value: Json | undefined): number | string | null {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

function isDictionary(value: unknown): value is SessionData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A prototype-less copy, so that keys like `__proto__` or `constructor` are plain keys. */
function toDictionary(data: SessionData): SessionData {
  return Object.assign(Object.create(null) as SessionData, data);
}

/** Python's `datetime.isoformat()` for an aware UTC datetime: microseconds and `+00:00`. */
export function toPythonIsoFormat(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

function parseIsoDate(text: string): Date {
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) throw new TypeError(`sessions: bad expiry date "${text}"`);
  return date;
}

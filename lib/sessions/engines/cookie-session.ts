import type { SessionData } from "../base";
import { EXPIRY_KEY, SessionBase, storedExpiry } from "../base";
import { CookieTooLarge } from "../errors";
import { logSuspicious } from "../log";
import { assertSerializedFits, BadSignature, PayloadTooLarge, SignatureExpired } from "../signing";

/**
 * What the two cookie engines share: Django's `signed_cookies` semantics.
 * The session key IS the cookie value (the data, protected under
 * `SECRET_KEY`); nothing is stored on the server, so there is nothing to
 * look up, delete or clear.
 *
 * Limits that follow from that, for both engines:
 * - size: the cookie must stay under 4096 bytes (`MAX_COOKIE_BYTES`);
 *   `save()` throws `CookieTooLarge` rather than emit one browsers drop. The
 *   data must also serialize to at most `SESSION_MAX_SIZE` bytes, as on every
 *   engine (`SessionTooLarge`): it binds only when set below what a cookie
 *   holds, or for data that compresses into one;
 * - replay: a cookie cannot be revoked. An old value (say, from before a
 *   logout) still loads until it is `SESSION_COOKIE_AGE` seconds old — or
 *   older than the session's own, shorter `setExpiry` — exactly as in Django.
 */

/**
 * Browsers drop a cookie whose name and value together pass 4096 bytes (RFC 6265 promises
 * 4096 for all of it, attributes included): the cookie engines stay below it.
 */
export const MAX_COOKIE_BYTES = 4096;

/**
 * The size of `name=value` as Next.js writes it into `Set-Cookie`: the value
 * percent-encoded (`encodeURIComponent`), so each ":" of a signed value counts 3 bytes.
 */
export function cookieBytes(name: string, value: string): number {
  return Buffer.byteLength(`${name}=${encodeURIComponent(value)}`);
}

/** Throws `CookieTooLarge` unless `name=value` stays under `MAX_COOKIE_BYTES`. Never echoes the value. */
export function assertCookieFits(name: string, value: string): void {
  const bytes = cookieBytes(name, value);
  if (bytes < MAX_COOKIE_BYTES) return;
  throw new CookieTooLarge(
    `the session cookie "${name}" would be ${bytes} bytes, and browsers drop cookies of ` +
      `${MAX_COOKIE_BYTES} bytes or more. Keep less in the session, or keep sessions on the ` +
      "server (SESSION_ENGINE=db, cache, cached_db or file)",
  );
}

/** What a cookie engine finds in a genuine cookie value. */
export interface OpenedCookie {
  data: SessionData;
  /** When the value was written, in whole seconds: where a `setExpiry(seconds)` period starts. */
  writtenAt: Date;
  /** Verified by a key of `SECRET_KEY_FALLBACKS`, not by `SECRET_KEY`: re-issue it. */
  byFallbackKey: boolean;
}

/**
 * A session kept entirely in its cookie. Engines implement `seal` and
 * `open`; everything else — Django's `exists`/`create`/`save`/`delete`,
 * expiry, key rotation, the size rule, the security log — lives here.
 */
export abstract class CookieSession extends SessionBase {
  /** The cookie value for `data`, under `SECRET_KEY`. */
  protected abstract seal(data: SessionData): Promise<string>;

  /**
   * The contents of a cookie value, verified against `SECRET_KEY` and then
   * `SECRET_KEY_FALLBACKS`. Throws `SignatureExpired` when the value is older
   * than `maxAge` seconds and `BadSignature` for anything else wrong with it.
   */
  protected abstract open(value: string, maxAge: number): Promise<OpenedCookie>;

  /** Nothing is stored, so no key is ever taken. */
  async exists(_sessionKey: string): Promise<boolean> {
    return false;
  }

  /** There is no key to draw: the cookie is written when the session is saved. */
  async create(): Promise<void> {
    this.modified = true;
  }

  /**
   * Seals the data into the new key (the cookie value). Throws
   * `SessionTooLarge` when the data passes `SESSION_MAX_SIZE` and
   * `CookieTooLarge` when the cookie would not fit, leaving the previous key
   * as it was.
   */
  async save(_mustCreate = false): Promise<void> {
    this.assertWritable();
    const data = await this.session();
    // Measured in the session serializer's bytes, as the server-side engines measure it.
    assertSerializedFits(this.serializer.dumps(data).length, this.settings.SESSION_MAX_SIZE);
    const value = await this.seal(data);
    assertCookieFits(this.settings.SESSION_COOKIE_NAME, value);
    this.setSessionKey(value);
    this.modified = true;
  }

  /**
   * Django's `delete()`: forgets this session's key and data (whatever key is
   * given), so the web layer deletes the cookie.
   */
  async destroy(_sessionKey?: string | null): Promise<void> {
    this.assertWritable();
    this.setSessionKey(null);
    this.setCache({});
    this.modified = true;
  }

  /**
   * A new value for the same data: it may even equal the old one (same data,
   * same second). Old values cannot be revoked anyway; they expire.
   */
  override async cycleKey(): Promise<void> {
    await this.save();
  }

  /**
   * The data in the cookie. A value that is tampered with, foreign, expired
   * or corrupt gives an empty session (no key, marked modified) and one
   * security log line carrying a fingerprint, never the value. A value
   * verified by a fallback key marks the session modified, so it is re-issued
   * under `SECRET_KEY`.
   */
  async load(): Promise<SessionData> {
    const value = this.sessionKey;
    if (value === null) return {};
    try {
      const cookie = await this.open(value, this.getSessionCookieAge());
      this.assertUnexpired(cookie);
      if (cookie.byFallbackKey) this.modified = true;
      return cookie.data;
    } catch (error) {
      if (!(error instanceof BadSignature)) throw error;
      const reason =
        error instanceof SignatureExpired
          ? "expired"
          : error instanceof PayloadTooLarge
            ? "larger than SESSION_MAX_SIZE allows"
            : "tampered with or foreign";
      logSuspicious(`Session cookie ${reason}`, this.fingerprint());
    }
    this.setSessionKey(null);
    await this.create();
    return {};
  }

  /** Nothing is stored, so nothing expires on the server. */
  static async clearExpired(): Promise<number> {
    return 0;
  }

  /** Beyond Django (ticket #19201): a `setExpiry` shorter than the cookie age is enforced too. */
  private assertUnexpired({ data, writtenAt }: OpenedCookie): void {
    // The expiry comes from `data`: reading it through `get` would wait for this very load.
    const expireDate = this.expiryDate(storedExpiry(data[EXPIRY_KEY]), writtenAt);
    if (Date.now() > expireDate.getTime())
      throw new SignatureExpired("the session's expiry has passed");
  }
}

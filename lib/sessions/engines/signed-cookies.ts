import type { SessionData } from "../base";
import { b62Decode, BadSignature, dumps, loads, SignatureExpired } from "../signing";
import type { OpenedCookie } from "./cookie-session";
import { CookieSession } from "./cookie-session";

/** Django's salt for this backend: signatures made for any other purpose never verify here. */
export const SIGNED_COOKIES_SALT = "django.contrib.sessions.backends.signed_cookies";

/**
 * `SESSION_ENGINE=signed_cookies`: Django's `signed_cookies` backend. The
 * cookie holds the data itself, `signing.dumps(data, compress=True)` with
 * Django's salt, so a Django app sharing `SECRET_KEY` reads these cookies
 * and writes cookies this one reads.
 *
 * - Readable: the data is signed, not encrypted. Anyone holding the cookie
 *   can base64-decode it; keep nothing secret in it (or use
 *   `encrypted_cookies`).
 * - Size: under 4096 bytes for `SESSION_COOKIE_NAME=value` after zlib and
 *   base64 — roughly 3 KB of JSON, more when it compresses well;
 *   `save()` throws `CookieTooLarge` beyond that.
 * - Expiry and replay: a value is accepted until it is `SESSION_COOKIE_AGE`
 *   seconds old (or older than a shorter `setExpiry`), even after a newer
 *   cookie replaced it or the user logged out. Nothing on the server can
 *   revoke it, short of changing `SECRET_KEY`.
 * - Rotation: values signed with a key of `SECRET_KEY_FALLBACKS` are read and
 *   mark the session modified, so the response re-signs them with `SECRET_KEY`.
 * - Scale: no storage at all; `clearExpired` has nothing to do.
 */
export class SessionStore extends CookieSession {
  protected async seal(data: SessionData): Promise<string> {
    return dumps(data, {
      key: this.settings.SECRET_KEY,
      salt: SIGNED_COOKIES_SALT,
      serializer: this.serializer,
      compress: true,
    });
  }

  protected async open(value: string, maxAge: number): Promise<OpenedCookie> {
    const { SECRET_KEY, SECRET_KEY_FALLBACKS } = this.settings;
    const options = {
      salt: SIGNED_COOKIES_SALT,
      serializer: this.serializer,
      maxAge,
      // A cookie of 4 KB can inflate to megabytes: no more than a save may write.
      maxBytes: this.settings.SESSION_MAX_SIZE,
    };
    // The current key alone first: `loads` does not say which key verified,
    // and a value signed with a fallback must be re-issued.
    try {
      return {
        data: loads(value, { ...options, key: SECRET_KEY }),
        writtenAt: signedAt(value),
        byFallbackKey: false,
      };
    } catch (error) {
      const mayBeOlderKey = error instanceof BadSignature && !(error instanceof SignatureExpired);
      if (!mayBeOlderKey || SECRET_KEY_FALLBACKS.length === 0) throw error;
    }
    const [key = "", ...fallbackKeys] = SECRET_KEY_FALLBACKS;
    return {
      data: loads(value, { ...options, key, fallbackKeys }),
      writtenAt: signedAt(value),
      byFallbackKey: true,
    };
  }
}

/** The timestamp of a verified `payload:timestamp:signature` value. */
function signedAt(value: string): Date {
  const parts = value.split(":");
  return new Date(b62Decode(parts[parts.length - 2] ?? "") * 1000);
}

/**
 * The session framework's error vocabulary. Every message starts with
 * "sessions:" so it is recognisable in any log.
 */

/** Base class: `error instanceof SessionError` catches everything raised here. */
export class SessionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`sessions: ${message}`, options);
    this.name = new.target.name;
  }
}

/** `save(mustCreate=true)` found a record with the same key already there. */
export class CreateError extends SessionError {}

/** `save()` found its record gone (deleted or expired by someone else); it is never recreated. */
export class UpdateError extends SessionError {}

/** The request's session was deleted by a concurrent request before it could be saved (HTTP 400). */
export class SessionInterrupted extends SessionError {}

/**
 * A concurrent request saved the session first, and this request's
 * alteration (`alter`, `sessionValue(...).change`), run again on what that
 * request saved, refused it: a limit reached by the two together, say.
 * Nothing of this request was saved; the other request's data stays (HTTP 409).
 */
export class ChangeConflict extends SessionInterrupted {}

/** Data that failed a signature check, or other signs of tampering. Logged, never shown to users. */
export class SuspiciousSession extends SessionError {}

/** A session key that must not be used to build a path or a store key. */
export class InvalidSessionKey extends SuspiciousSession {}

/** A value that the session serializer cannot carry (a function, NaN, a Date, a cycle …). */
export class UnserializableValue extends SessionError {}

/** A key lookup (`delete`, `pop`) for a key the session does not have: Python's KeyError. */
export class MissingKey extends SessionError {
  readonly key: string;

  constructor(key: string) {
    super(`no key ${JSON.stringify(key)} in the session`);
    this.key = key;
  }
}

/** The storage could not be reached or refused the operation (disk full, read-only, connection lost). */
export class StorageError extends SessionError {}

/**
 * A session too large to save: its data serializes to more than
 * `SESSION_MAX_SIZE` bytes, or (`CookieTooLarge`) it would not fit in a
 * cookie. Nothing was saved; the previous record or cookie stays as it was.
 * The message gives sizes, never data.
 */
export class SessionTooLarge extends SessionError {}

/** A cookie engine was asked to emit a cookie larger than browsers keep (4096 bytes). */
export class CookieTooLarge extends SessionTooLarge {}

/** A write where it could never reach the browser (a Server Component): the message says where to move it. */
export class SessionReadOnly extends SessionError {}

/** Misconfiguration found at start-up: names the setting to fix. */
export class ImproperlyConfigured extends SessionError {}

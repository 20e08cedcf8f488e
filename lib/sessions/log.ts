import { createHmac } from "node:crypto";

/**
 * The session framework's log. Session keys never appear in it: a key is a
 * bearer credential. Where a log line must say which session, it carries a
 * fingerprint: an HMAC of the key under the secret, so the same session has
 * the same fingerprint on every instance but the key cannot be recovered.
 */

export interface SessionLogger {
  warn(message: string): void;
  error(message: string): void;
}

let logger: SessionLogger = {
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Routes the framework's log lines elsewhere (tests capture them; apps may forward them). */
export function setSessionLogger(next: SessionLogger): SessionLogger {
  const previous = logger;
  logger = next;
  return previous;
}

/** A short, stable, irreversible name for a session key. */
export function keyFingerprint(sessionKey: string, secret: string): string {
  return createHmac("sha256", `sessions.log-fingerprint${secret}`)
    .update(sessionKey)
    .digest("hex")
    .slice(0, 16);
}

/** Django's `django.security.SuspiciousSession` logger: tampering and other signs of attack. */
export function logSuspicious(message: string, fingerprint?: string) {
  const which = fingerprint ? ` [session ${fingerprint}]` : "";
  logger.warn(`sessions.security: ${message}${which}`);
}

/** A store that failed but did not fail the request (e.g. the cache of `cached_db`). */
export function logStorageFailure(message: string, error: unknown) {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  logger.error(`sessions: ${message} (${reason})`);
}

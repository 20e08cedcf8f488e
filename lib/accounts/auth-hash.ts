import { createHmac, timingSafeEqual } from "node:crypto";
import { settings } from "@/lib/settings";

/**
 * Django's session auth hash: a logged-in session stores an HMAC of the
 * user's password hash and `sessionEpoch`. A new password or "log out other
 * devices" (a new epoch, devices.ts) changes it, and every session still holding the old
 * one is treated as anonymous — whatever engine stores it, even one whose
 * records cannot be listed (a cache, a cookie).
 */
const SALT = "evermore.accounts.sessionAuthHash";

interface HashedUser {
  passwordHash: string;
  sessionEpoch: number;
}

/** The hash a session of `user` holds, under the current `SECRET_KEY` (or `secret`). */
export function sessionAuthHash(user: HashedUser, secret = settings().SECRET_KEY): string {
  return createHmac("sha256", `${SALT}:${secret}`)
    .update(`${user.passwordHash}:${user.sessionEpoch}`)
    .digest("hex");
}

/**
 * Whether a stored hash is the user's, under `SECRET_KEY` or one of
 * `SECRET_KEY_FALLBACKS` (as Django 4.1+): rotating the key does not log
 * anyone out while the old key is still listed. Constant-time, every key tried.
 */
export function authHashMatches(
  stored: unknown,
  user: HashedUser,
  secrets: readonly string[] = [settings().SECRET_KEY, ...settings().SECRET_KEY_FALLBACKS],
): boolean {
  if (typeof stored !== "string") return false;
  const given = Buffer.from(stored);
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(sessionAuthHash(user, secret));
    matched = (given.length === expected.length && timingSafeEqual(given, expected)) || matched;
  }
  return matched;
}

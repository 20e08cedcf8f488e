import { createHmac, timingSafeEqual } from "node:crypto";
import { settings } from "@/lib/settings";

/**
 * Django's session auth hash: a logged-in session stores an HMAC of the
 * user's password hash and `sessionEpoch`. A new password or "log out other
 * devices" (epoch + 1) changes it, and every session still holding the old
 * one is treated as anonymous — whatever engine stores it, even one whose
 * records cannot be listed (a cache, a cookie).
 */
const SALT = "evermore.accounts.sessionAuthHash";

export function sessionAuthHash(user: { passwordHash: string; sessionEpoch: number }): string {
  return createHmac("sha256", `${SALT}:${settings().SECRET_KEY}`)
    .update(`${user.passwordHash}:${user.sessionEpoch}`)
    .digest("hex");
}

/** Constant-time comparison of a stored hash with the user's current one. */
export function authHashMatches(
  stored: unknown,
  user: { passwordHash: string; sessionEpoch: number },
): boolean {
  if (typeof stored !== "string") return false;
  const expected = Buffer.from(sessionAuthHash(user));
  const given = Buffer.from(stored);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

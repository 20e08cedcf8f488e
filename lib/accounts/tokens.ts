import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { MAX_ROW_ID } from "@/lib/db/client";
import { settings } from "@/lib/settings";

/**
 * Django's `PasswordResetTokenGenerator`, for the links the site emails.
 *
 * A token is `<timestamp>-<hash>`: the seconds since 2001-01-01 in base 36,
 * and every other hex digit of `salted_hmac(key_salt, value, secret)` (an
 * HMAC-SHA256 keyed with sha256(key_salt + secret)). The value is made of
 * what must not have changed since the link was sent, so nothing is stored:
 * a reset token names the password hash and the last login, and stops
 * working once either changes (the reset itself changes the first). Checked
 * against `SECRET_KEY` and each of `SECRET_KEY_FALLBACKS`; too old after
 * `PASSWORD_RESET_TIMEOUT` seconds.
 *
 * With the same user fields and secret, a reset token is the one Django 4.1+
 * makes (Django's clock is the server's local time: run it in UTC).
 */
export interface TokenUser {
  id: number;
  email: string;
  passwordHash: string;
  lastLogin: Date | null;
  emailVerified: boolean;
}

/** What a check found: a `valid` token; one that was right but is `expired`; or one that is not (or no longer) right. */
export type TokenCheck = "valid" | "expired" | "invalid";

export interface TokenOptions {
  secret?: string;
  fallbacks?: readonly string[];
  /** Seconds a token works; default `PASSWORD_RESET_TIMEOUT`. */
  timeout?: number;
  now?: Date;
}

/** Django's `_num_seconds`: whole seconds since 2001-01-01. */
const EPOCH_MS = Date.UTC(2001, 0, 1);
/** Django's `base36_to_int` refuses more than 13 digits: a bigger number is no timestamp. */
const TIMESTAMP = /^[0-9a-z]{1,13}$/;

export class TokenGenerator {
  constructor(
    /** Django's `key_salt`: tokens of one purpose never pass for another. */
    readonly keySalt: string,
    /** Django's `_make_hash_value`: what the token stands for. */
    private readonly hashValue: (user: TokenUser, timestamp: number) => string,
  ) {}

  makeToken(user: TokenUser, { secret = settings().SECRET_KEY, now = new Date() } = {}): string {
    return this.withTimestamp(user, secondsSinceEpoch(now), secret);
  }

  /** Constant time in the hash; every secret is tried. Any malformed token is `invalid`. */
  checkToken(user: TokenUser, token: unknown, options: TokenOptions = {}): TokenCheck {
    if (typeof token !== "string" || token.length > 100) return "invalid";
    const parts = token.split("-");
    if (parts.length !== 2 || !TIMESTAMP.test(parts[0]!)) return "invalid";
    const timestamp = parseInt(parts[0]!, 36);
    if (!Number.isSafeInteger(timestamp)) return "invalid";
    const {
      secret = settings().SECRET_KEY,
      fallbacks = settings().SECRET_KEY_FALLBACKS,
      timeout = settings().PASSWORD_RESET_TIMEOUT,
      now = new Date(),
    } = options;
    const given = Buffer.from(token);
    let matched = false;
    for (const key of [secret, ...fallbacks]) {
      const expected = Buffer.from(this.withTimestamp(user, timestamp, key));
      matched = (expected.length === given.length && timingSafeEqual(expected, given)) || matched;
    }
    if (!matched) return "invalid";
    return secondsSinceEpoch(now) - timestamp > timeout ? "expired" : "valid";
  }

  private withTimestamp(user: TokenUser, timestamp: number, secret: string): string {
    const key = createHash("sha256")
      .update(this.keySalt + secret)
      .digest();
    const digest = createHmac("sha256", key).update(this.hashValue(user, timestamp)).digest("hex");
    const every = [...digest].filter((_, index) => index % 2 === 0).join("");
    return `${timestamp.toString(36)}-${every}`;
  }
}

function secondsSinceEpoch(date: Date): number {
  return Math.floor((date.getTime() - EPOCH_MS) / 1000);
}

/** Python's `str(last_login.replace(microsecond=0, tzinfo=None))` for a UTC time; "" when never. */
function loginTimestamp(lastLogin: Date | null): string {
  return lastLogin ? lastLogin.toISOString().slice(0, 19).replace("T", " ") : "";
}

/** Password reset links: Django's salt and value, so they die with a new password or a login. */
export const passwordResetTokens = new TokenGenerator(
  "django.contrib.auth.tokens.PasswordResetTokenGenerator",
  (user, timestamp) =>
    `${user.id}${user.passwordHash}${loginTimestamp(user.lastLogin)}${timestamp}${user.email}`,
);

/**
 * Email confirmation links: a salt of their own, and a value without the
 * last login (an unconfirmed account may log in, and its link must survive
 * that) but with the confirmation itself, so a used link is dead.
 */
export const emailVerificationTokens = new TokenGenerator(
  "evermore.accounts.EmailVerificationTokenGenerator",
  (user, timestamp) =>
    `${user.id}${user.passwordHash}${user.emailVerified ? 1 : 0}${timestamp}${user.email}`,
);

/** Django's `urlsafe_base64_encode(force_bytes(user.pk))`: the user's id in a link. */
export function uidFor(id: number): string {
  return Buffer.from(String(id)).toString("base64url");
}

/** The user id a link names, or null for anything that is not one (never a database error). */
export function idFromUid(uid: unknown): number | null {
  if (typeof uid !== "string" || !/^[A-Za-z0-9_-]{1,16}$/.test(uid)) return null;
  const text = Buffer.from(uid, "base64url").toString("latin1");
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_ROW_ID ? id : null;
}

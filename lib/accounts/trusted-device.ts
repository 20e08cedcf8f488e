import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { settings } from "@/lib/settings";
import { BadSignature, dumps, loads } from "@/lib/sessions/signing";
import { normaliseEmail } from "./credentials";

/**
 * Device cookies, OWASP's answer to a login limit used as a weapon. The
 * limit of failed logins per email stops password guessing, but it also let
 * anyone lock the owner out: five wrong passwords, and even the right one
 * waited for 15 minutes.
 *
 * A browser that logs in as an email receives this cookie: a random device id
 * and a digest of the email, signed with `SECRET_KEY`. A login attempt for
 * that email from that browser then counts against the device's own bucket,
 * not the email's (rate-limit.ts), so failures from elsewhere never lock the
 * owner out of a browser they have used before. Only someone who once knew
 * the password can hold one, and a device that keeps failing is limited too.
 *
 * The cookie outlives logout on purpose: it grants nothing but its own
 * bucket. It holds no email in clear, only an HMAC of it under `SECRET_KEY`:
 * a bare digest would let anyone who reads the cookie test guesses of the
 * email against it. Read under `SECRET_KEY` or any of its fallbacks, like the
 * signature, so a key rotation keeps every device trusted.
 */

export const DEVICE_COOKIE_NAME = "evermore_device";

/** A year: a browser used once a season keeps its exemption. */
export const DEVICE_COOKIE_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Signatures made for sessions or anything else never verify as a device cookie. */
const SALT = "evermore.accounts.trusted-device";

/**
 * A new device cookie for a browser that just logged in (or signed up) as
 * `email`, for Next's cookie store. HttpOnly, and Secure when the session
 * cookie is. SameSite=Lax whatever the session cookie's setting: it is only
 * read by the login form's own post.
 */
export function deviceCookie(email: string) {
  return {
    name: DEVICE_COOKIE_NAME,
    value: deviceCookieFor(email),
    maxAge: DEVICE_COOKIE_AGE_SECONDS,
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: settings().SESSION_COOKIE_SECURE,
  };
}

/** The value of a new device cookie for `email`, signed with `secret` (default `SECRET_KEY`). */
export function deviceCookieFor(email: string, secret = settings().SECRET_KEY): string {
  const device = randomBytes(16).toString("base64url");
  return dumps({ email: emailDigest(email, secret), device }, { key: secret, salt: SALT });
}

/**
 * The device id in `value` when it is a genuine, unexpired device cookie for
 * `email` (made under one of `secrets`: `SECRET_KEY` and its fallbacks by
 * default); null for anything else, a tampered or foreign value included,
 * and a cookie of the format before the email's HMAC.
 */
export function trustedDevice(
  value: string | null | undefined,
  email: string,
  secrets: readonly string[] = [settings().SECRET_KEY, ...settings().SECRET_KEY_FALLBACKS],
): string | null {
  if (!value || secrets.length === 0) return null;
  const [key, ...fallbackKeys] = secrets as [string, ...string[]];
  let data;
  try {
    data = loads(value, {
      key,
      fallbackKeys,
      salt: SALT,
      maxAge: DEVICE_COOKIE_AGE_SECONDS,
    });
  } catch (error) {
    if (error instanceof BadSignature) return null;
    throw error;
  }
  if (typeof data.email !== "string" || typeof data.device !== "string") return null;
  const given = Buffer.from(data.email);
  let matched = false;
  // Every key tried, in constant time: which one matched is nobody's business.
  for (const secret of secrets) {
    const expected = Buffer.from(emailDigest(email, secret));
    matched = (given.length === expected.length && timingSafeEqual(given, expected)) || matched;
  }
  return matched ? data.device : null;
}

function emailDigest(email: string, secret: string): string {
  return createHmac("sha256", `${SALT}:${secret}`)
    .update(normaliseEmail(email))
    .digest("base64url");
}

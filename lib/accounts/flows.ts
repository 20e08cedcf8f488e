import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import type { SessionBase } from "@/lib/sessions";
import { authenticate, normaliseEmail } from "./credentials";
import { logIn } from "./login";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords";
import { trustedDevice } from "./trusted-device";
import type { Claim } from "./rate-limit";
import {
  bucketsFor,
  claimAttempt,
  forgetFailures,
  releaseAttempt,
  tooManyAttemptsMessage,
} from "./rate-limit";

/**
 * Sign-up and login as the forms use them: each answers with a message for
 * the visitor, or null when they are now logged in.
 */
export interface Attempt {
  email: string;
  password: string;
  /** The client's address, for the per-IP limit; null or empty counts as `unknown`, never as none. */
  ip: string | null;
  /** The browser, for the account's list of devices. */
  device: string;
  /** The browser's device cookie (trusted-device.ts), if it sent one. */
  deviceCookie?: string | null;
}

/** The longest email an address can be (RFC 5321); sign-up refuses longer, so no account has one. */
const EMAIL_MAX_LENGTH = 254;
const emailSchema = z.email().max(EMAIL_MAX_LENGTH);
const INVALID_EMAIL = "Please enter a valid email address.";

export async function signUp(
  database: Database,
  session: SessionBase,
  attempt: Attempt,
): Promise<string | null> {
  const email = normaliseEmail(attempt.email);
  if (!emailSchema.safeParse(email).success) return INVALID_EMAIL;
  const { password } = attempt;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `Please choose a password of ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;
  }
  const claimed = await claimAttempt(database, bucketsFor(email, attempt.ip));
  if ("minutes" in claimed) return tooManyAttemptsMessage(claimed.minutes);

  const user = await counted(database, claimed.claim, async () => {
    const passwordHash = await hashPassword(password);
    return database.user.create({ data: { email, passwordHash } }).catch((error: unknown) => {
      if (error instanceof PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    });
  });
  // An existing email counts as a failure: sign-up must not list the site's accounts for free.
  if (!user) return "An account with this email already exists. Please log in instead.";
  await releaseAttempt(database, claimed.claim);
  await logIn(database, session, user, attempt.device);
  return null;
}

export async function logInWithPassword(
  database: Database,
  session: SessionBase,
  attempt: Attempt,
): Promise<string | null> {
  const email = normaliseEmail(attempt.email);
  if (!email || !attempt.password) return "Please enter your email and password.";
  // No account has an address sign-up would refuse. Refused before any query: the bucket
  // column holds 320 characters, and PostgreSQL refuses a NUL in any text.
  if (!emailSchema.safeParse(email).success) return INVALID_EMAIL;
  const device = trustedDevice(attempt.deviceCookie, email);
  const claimed = await claimAttempt(database, bucketsFor(email, attempt.ip, device));
  if ("minutes" in claimed) return tooManyAttemptsMessage(claimed.minutes);

  const user = await counted(database, claimed.claim, async () => {
    const userId = await authenticate(database, email, attempt.password);
    return userId === null ? null : database.user.findUnique({ where: { id: userId } });
  });
  if (!user) return "That email and password do not match an account.";
  await releaseAttempt(database, claimed.claim);
  await forgetFailures(database, email, device);
  await logIn(database, session, user, attempt.device);
  return null;
}

/**
 * Runs the check an attempt was claimed for. If it fails for a reason of the
 * site's own (the database away), the claim is taken back: that was no guess.
 */
async function counted<T>(database: Database, claim: Claim, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    // With the database away the release fails too; the first error is the one to report.
    await releaseAttempt(database, claim).catch(() => undefined);
    throw error;
  }
}

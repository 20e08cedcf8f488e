import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";
import type { Database } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Mailer } from "@/lib/mail/mailer";
import { mailer } from "@/lib/mail/mailer";
import { sendAccountMail } from "./account-mail";
import type { SessionBase } from "@/lib/sessions";
import { authenticate, emailSchema, INVALID_EMAIL, normaliseEmail } from "./credentials";
import { logIn } from "./login";
import { existingAccountMessage, verificationMessage } from "./mail-messages";
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
 * the visitor, or null when all went well (login: they are logged in;
 * sign-up: the email is on its way).
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

/**
 * Sign-up that tells no stranger whether an email has an account: a new
 * address gets an account, unconfirmed, and the link that confirms it and
 * logs in (verification.ts); an address that has one gets an email saying
 * someone tried. Either way the answer is null, "check your inbox", after
 * one argon2 hash and one email, so neither the page nor its timing differs.
 * Nobody is logged in here: the drafts of this session move into the
 * account when its link is followed in this browser (or at login).
 * If the email cannot be sent, a new account is removed again and the
 * answer says so: nothing is left that only a lost email could open.
 */
export async function signUp(
  database: Database,
  // Untouched: sign-up logs nobody in. Taken so that sign-up and login, one form's two
  // actions, take the same arguments.
  _session: SessionBase,
  attempt: Attempt,
  mail: Mailer = mailer(),
): Promise<string | null> {
  const email = normaliseEmail(attempt.email);
  if (!emailSchema.safeParse(email).success) return INVALID_EMAIL;
  const { password } = attempt;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `Please choose a password of ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;
  }
  let created: User | null = null;
  return sendAccountMail(database, {
    email,
    ip: attempt.ip,
    mail,
    async compose() {
      const passwordHash = await hashPassword(password);
      created = await database.user.create({ data: { email, passwordHash } }).catch(ifTaken(null));
      if (created) return verificationMessage(created);
      const existing = await database.user.findUnique({ where: { email } });
      // Deleted since the create failed: as if it were new, it gets nothing a stranger could use.
      return existing ? existingAccountMessage(existing) : null;
    },
    async undo() {
      if (created) {
        await database.user.deleteMany({ where: { id: created.id, emailVerified: false } });
      }
    },
  });
}

/** For a `.catch`: a unique constraint broken (the email is taken) becomes `value`. */
function ifTaken<T>(value: T) {
  return (error: unknown): T => {
    if (error instanceof PrismaClientKnownRequestError && error.code === "P2002") return value;
    throw error;
  };
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

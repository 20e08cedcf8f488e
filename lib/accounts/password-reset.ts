import type { Database } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Mailer } from "@/lib/mail/mailer";
import { mailer } from "@/lib/mail/mailer";
import type { SessionBase } from "@/lib/sessions";
import { mailTheAccountOf } from "./account-mail";
import { deleteAccountSessions } from "./devices";
import { passwordResetMessage } from "./mail-messages";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords";
import { forgetFailures } from "./rate-limit";
import type { TokenCheck } from "./tokens";
import { idFromUid, passwordResetTokens } from "./tokens";

/**
 * A forgotten password, as Django's `PasswordResetView` and
 * `PasswordResetConfirmView`: the request page answers the same for any
 * address, the email's link (`/reset/<uid>/<token>`) works once and for
 * `PASSWORD_RESET_TIMEOUT` seconds, and a new password logs out every
 * device. Following the link also confirms the address.
 */

/**
 * Emails a reset link to the account of `email`, if there is one. The
 * answer is null ("check your inbox") either way; with no account the mail
 * server is only checked, so a server that is down answers the same too.
 */
export async function requestPasswordReset(
  database: Database,
  input: { email: string; ip: string | null },
  mail: Mailer = mailer(),
): Promise<string | null> {
  return mailTheAccountOf(database, input, mail, passwordResetMessage);
}

/** The account a reset link names and the state of its token; no account: `invalid`. */
export async function resetState(
  database: Database,
  uid: unknown,
  token: unknown,
): Promise<{ state: TokenCheck; user: User | null }> {
  const id = idFromUid(uid);
  const user = id === null ? null : await database.user.findUnique({ where: { id } });
  if (!user) return { state: "invalid", user: null };
  return { state: passwordResetTokens.checkToken(user, token), user };
}

export type ResetOutcome = { done: true } | { done: false; state: TokenCheck; message?: string };

/**
 * Sets a new password through a reset link. Every session of the account
 * ends (the password is part of their auth hash, and the epoch goes up as
 * "log out other devices" does; the `accounts` engine's rows go too, their
 * drafts carried first), this one included: the visitor logs in afresh.
 * The link is dead afterwards, since its token names the old password; of
 * two requests with one link, the second finds it so.
 */
export async function resetPassword(
  database: Database,
  session: SessionBase,
  input: { uid: unknown; token: unknown; password: string },
): Promise<ResetOutcome> {
  const { state, user } = await resetState(database, input.uid, input.token);
  if (state !== "valid" || !user) return { done: false, state };
  const { password } = input;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    const message = `Please choose a password of ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;
    return { done: false, state, message };
  }
  const passwordHash = await hashPassword(password);
  const { count } = await database.user.updateMany({
    where: { id: user.id, passwordHash: user.passwordHash },
    data: { passwordHash, emailVerified: true, sessionEpoch: { increment: 1 } },
  });
  if (count === 0) return { done: false, state: "invalid" };
  // This session's own row stays: deleting it under the request would fail the request's save.
  // Its login no longer counts either, and ends at its next change (`endStaleLogin`).
  await deleteAccountSessions(database, session, user.id, session.sessionKey);
  await forgetFailures(database, user.email);
  return { done: true };
}

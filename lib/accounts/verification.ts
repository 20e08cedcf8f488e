import type { Database } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Mailer } from "@/lib/mail/mailer";
import { mailer } from "@/lib/mail/mailer";
import type { SessionBase } from "@/lib/sessions";
import { mailTheAccountOf } from "./account-mail";
import { logIn } from "./login";
import { verificationMessage } from "./mail-messages";
import { forgetFailures } from "./rate-limit";
import type { TokenCheck } from "./tokens";
import { emailVerificationTokens, idFromUid } from "./tokens";

/**
 * Confirming an email: the link sent at sign-up (`/verify/<uid>/<token>`)
 * confirms the account and logs in, in whichever browser it is opened,
 * carrying that session's drafts and rotating its key as any login does.
 * An unconfirmed account may log in and draft, but not publish.
 */

/** What a confirmation link is: good, too old, already followed, or not a link we sent. */
export type LinkState = TokenCheck | "used";

/** The account a link names, and the state of its token; no account: `invalid`. */
export async function verificationState(
  database: Database,
  uid: unknown,
  token: unknown,
): Promise<{ state: LinkState; user: User | null }> {
  const id = idFromUid(uid);
  const user = id === null ? null : await database.user.findUnique({ where: { id } });
  if (!user) return { state: "invalid", user: null };
  const state = emailVerificationTokens.checkToken(user, token);
  if (state !== "invalid" || !user.emailVerified) return { state, user };
  // A token that was right for this account before it was confirmed: the link was followed.
  const before = emailVerificationTokens.checkToken({ ...user, emailVerified: false }, token);
  return { state: before === "invalid" ? "invalid" : "used", user };
}

/**
 * Follows a confirmation link: the account is confirmed and this session
 * logged in to it. Resolves to the link's state (only `valid` changed
 * anything) and, when valid, the email now logged in. Two requests with one
 * link: one confirms, the other finds it used.
 */
export async function confirmEmail(
  database: Database,
  session: SessionBase,
  uid: unknown,
  token: unknown,
  device: string,
): Promise<{ state: LinkState; email?: string }> {
  const { state, user } = await verificationState(database, uid, token);
  if (state !== "valid" || !user) return { state };
  const { count } = await database.user.updateMany({
    where: { id: user.id, emailVerified: false, passwordHash: user.passwordHash },
    data: { emailVerified: true },
  });
  if (count === 0) return { state: "used" };
  // Whoever follows the link holds the inbox: failed logins counted against the address are theirs.
  await forgetFailures(database, user.email);
  await logIn(database, session, { ...user, emailVerified: true }, device);
  return { state: "valid", email: user.email };
}

/**
 * Sends a new confirmation link to `email` if it names an unconfirmed
 * account, and nothing otherwise; the answer is the same either way (null),
 * or says why nothing could be sent.
 */
export async function resendVerification(
  database: Database,
  input: { email: string; ip: string | null },
  mail: Mailer = mailer(),
): Promise<string | null> {
  return mailTheAccountOf(database, input, mail, (user) =>
    user.emailVerified ? null : verificationMessage(user),
  );
}

import { createHash } from "node:crypto";
import type { Database } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Mailer, MailMessage } from "@/lib/mail/mailer";
import { MailUnavailable } from "@/lib/mail/mailer";
import { emailSchema, INVALID_EMAIL, normaliseEmail } from "./credentials";
import type { Bucket } from "./rate-limit";
import { claimAttempt, releaseAttempt, tooManyAttemptsMessage } from "./rate-limit";

/**
 * Emails that a visitor's request sends to an address (sign-up, a new
 * confirmation link, a password reset) are limited like failed logins, in
 * buckets of their own: 5 per address and 50 per client address in 15
 * minutes, so nobody can flood an inbox through the site. Every request
 * counts, whether or not the address has an account, so the limit tells
 * nothing either.
 */
export const MAX_MAIL_PER_ADDRESS = 5;
export const MAX_MAIL_PER_IP = 50;

/** What the visitor reads when the mail server cannot take the message. */
export const MAIL_DOWN =
  "We could not send the email just now, so nothing was changed. Please try again in a few minutes.";

/** The buckets of one request's email; hashed, so that any address or forged IP fits the column. */
export function mailBuckets(email: string, ip: string | null): Bucket[] {
  const key = (kind: string, value: string) =>
    `${kind}#${createHash("sha256").update(value).digest("hex")}`;
  const buckets = [{ key: key("mail", email), max: MAX_MAIL_PER_ADDRESS }];
  if (ip) buckets.push({ key: key("mail-ip", ip), max: MAX_MAIL_PER_IP });
  return buckets;
}

export interface AccountMail {
  email: string;
  ip: string | null;
  mail: Mailer;
  /**
   * Prepares the message: null when there is none to send (no such
   * account), and the mail server is only checked, so that a server that
   * is down answers the same whether or not the address has an account.
   */
  compose(): Promise<MailMessage | null>;
  /** Undoes what `compose` recorded, when the message could not be sent. */
  undo?(): Promise<void>;
}

/**
 * Sends one account email within the limits. Resolves to null once it is
 * sent (or, with nothing to send, once the server could have taken it), or
 * to the message for the visitor: too many requests, or the mail server is
 * down. A message that was not sent leaves nothing behind: `undo` removes
 * what `compose` made, and the request does not count against the limits.
 * Its link's token is stored nowhere, so a token that was never delivered
 * is in nobody's hands.
 */
export async function sendAccountMail(
  database: Database,
  request: AccountMail,
): Promise<string | null> {
  const claimed = await claimAttempt(database, mailBuckets(request.email, request.ip));
  if ("minutes" in claimed) return tooManyAttemptsMessage(claimed.minutes);
  try {
    const message = await request.compose();
    if (message) await request.mail.send(message);
    else await request.mail.check();
    return null;
  } catch (error) {
    await request.undo?.();
    await releaseAttempt(database, claimed.claim);
    if (!(error instanceof MailUnavailable)) throw error;
    // The reason is the server's, for the operator; the address and the link stay out of the log.
    console.error(`evermore: an account email was not sent: ${error.message}`);
    return MAIL_DOWN;
  }
}

/**
 * Emails the account of `input.email` what `messageFor` makes of it (null:
 * nothing for this account), through `sendAccountMail`: the answer is the
 * same whether or not there is such an account.
 */
export async function mailTheAccountOf(
  database: Database,
  input: { email: string; ip: string | null },
  mail: Mailer,
  messageFor: (user: User) => MailMessage | null,
): Promise<string | null> {
  const email = normaliseEmail(input.email);
  if (!emailSchema.safeParse(email).success) return INVALID_EMAIL;
  return sendAccountMail(database, {
    email,
    ip: input.ip,
    mail,
    async compose() {
      const user = await database.user.findUnique({ where: { email } });
      return user ? messageFor(user) : null;
    },
  });
}

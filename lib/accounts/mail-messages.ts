import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { MailMessage } from "@/lib/mail/mailer";
import { settings } from "@/lib/settings";
import { emailVerificationTokens, passwordResetTokens, uidFor } from "./tokens";

/**
 * The account emails, in plain text. Every link starts with `SITE_URL`,
 * never with the Host of the request that caused the email: a stranger
 * could otherwise have a reset link sent that points at their own server.
 */

/** The link that confirms `user`'s email and logs them in. */
export function verificationLink(user: User): string {
  return link("verify", user, emailVerificationTokens.makeToken(user));
}

/** The link that lets `user` choose a new password. */
export function passwordResetLink(user: User): string {
  return link("reset", user, passwordResetTokens.makeToken(user));
}

function link(route: "verify" | "reset", user: User, token: string): string {
  return `${settings().SITE_URL}/${route}/${uidFor(user.id)}/${token}`;
}

/** A new account's first email: the link that confirms it. */
export function verificationMessage(user: User): MailMessage {
  return {
    to: user.email,
    subject: "Confirm your email for Evermore",
    text: lines(
      "Hello,",
      "",
      "Someone, we hope you, began an account on Evermore with this address. To confirm it and",
      "log in, open this link:",
      "",
      verificationLink(user),
      "",
      `It works once, for ${lifetime()}. If you did not sign up, ignore this email: without the`,
      "link, nothing more happens.",
    ),
  };
}

/**
 * What an address that already has an account receives when someone signs
 * up with it: the sign-up page says the same as for a new address, and only
 * the owner of the inbox learns which it was.
 */
export function existingAccountMessage(user: User): MailMessage {
  const site = settings().SITE_URL;
  const unconfirmed = user.emailVerified
    ? []
    : [
        "",
        "Your address is not confirmed yet. To confirm it, open this link:",
        "",
        verificationLink(user),
      ];
  return {
    to: user.email,
    subject: "Someone tried to sign up with your email",
    text: lines(
      "Hello,",
      "",
      "Someone tried to create an account on Evermore with this address, but it already has one.",
      "",
      `If it was you, log in at ${site}/login`,
      `or, if you have forgotten your password, choose a new one at ${site}/password-reset`,
      ...unconfirmed,
      "",
      "If it was not you, ignore this email: nothing has changed, and your password still works.",
    ),
  };
}

/** The password reset email. */
export function passwordResetMessage(user: User): MailMessage {
  return {
    to: user.email,
    subject: "Choose a new password for Evermore",
    text: lines(
      "Hello,",
      "",
      "Someone, we hope you, asked to reset the password of your Evermore account. To choose a",
      "new one, open this link:",
      "",
      passwordResetLink(user),
      "",
      `It works once, for ${lifetime()}, and logs out every device that is logged in.`,
      "If you did not ask, ignore this email: your password stays as it is.",
    ),
  };
}

function lines(...text: string[]): string {
  return [...text, "", "Evermore", ""].join("\n");
}

/** `PASSWORD_RESET_TIMEOUT` in words: "3 days", "1 hour", "90 seconds". */
export function lifetime(seconds = settings().PASSWORD_RESET_TIMEOUT): string {
  const units: [string, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [name, size] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

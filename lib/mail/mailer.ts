import nodemailer from "nodemailer";
import type { EmailSettings } from "./settings";
import { settings } from "@/lib/settings";

/**
 * Sending email, Django's `django.core.mail` in small: a message, and a
 * backend chosen by `EMAIL_BACKEND` that sends it. `smtp` hands it to
 * nodemailer; `console` prints it, link included, for development.
 */
export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text only: every link in it is written out whole. */
  text: string;
}

export interface Mailer {
  /** Sends one message; `MailUnavailable` when the server cannot be reached or refuses it. */
  send(message: MailMessage): Promise<void>;
  /**
   * Whether a message could be sent now, without sending one (SMTP: connect,
   * greet, log in, quit); `MailUnavailable` when not. For an answer that
   * sends nothing but must fail as a send would (no such account).
   */
  check(): Promise<void>;
}

/**
 * The mail server could not be reached, timed out, or refused the message.
 * The message says why in the server's words (never the password); the
 * visitor sees a plain sentence instead.
 */
export class MailUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`mail: ${message}`, options);
    this.name = "MailUnavailable";
  }
}

type SmtpSettings = Pick<
  EmailSettings,
  | "EMAIL_HOST"
  | "EMAIL_PORT"
  | "EMAIL_HOST_USER"
  | "EMAIL_HOST_PASSWORD"
  | "EMAIL_USE_TLS"
  | "EMAIL_USE_SSL"
  | "EMAIL_TIMEOUT"
  | "DEFAULT_FROM_EMAIL"
>;

/**
 * Sends through an SMTP server with nodemailer, one connection per message
 * (a site that sends a few messages an hour gains nothing from a pool, and a
 * pooled connection the server dropped fails the next send). As Django:
 * STARTTLS only with `EMAIL_USE_TLS`, and then required; TLS from the start
 * with `EMAIL_USE_SSL`; a login only when `EMAIL_HOST_USER` is set.
 */
export function smtpMailer(options: SmtpSettings): Mailer {
  const timeout = options.EMAIL_TIMEOUT * 1000;
  const transport = nodemailer.createTransport({
    host: options.EMAIL_HOST,
    port: options.EMAIL_PORT,
    secure: options.EMAIL_USE_SSL,
    requireTLS: options.EMAIL_USE_TLS,
    ignoreTLS: !options.EMAIL_USE_TLS && !options.EMAIL_USE_SSL,
    auth: options.EMAIL_HOST_USER
      ? { user: options.EMAIL_HOST_USER, pass: options.EMAIL_HOST_PASSWORD }
      : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer's own logger can print the SMTP dialogue, AUTH included: keep it off.
    logger: false,
    debug: false,
  });
  const unavailable = (error: unknown) =>
    new MailUnavailable(
      `the SMTP server ${options.EMAIL_HOST}:${options.EMAIL_PORT} did not take the message (${describe(error)})`,
      { cause: error },
    );
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: options.DEFAULT_FROM_EMAIL, ...message });
      } catch (error) {
        throw unavailable(error);
      }
    },
    async check() {
      try {
        await transport.verify();
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}

/** nodemailer's code and the server's reply, if any: enough to act on, nothing secret. */
function describe(error: unknown): string {
  const { code, responseCode, message } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    message?: unknown;
  };
  const parts = [code, responseCode].filter((part) => part !== undefined).map(String);
  const text = typeof message === "string" ? message.split("\n")[0]!.slice(0, 200) : "";
  return [...parts, text].filter(Boolean).join(" ");
}

/**
 * Prints each message on stdout instead of sending it (Django's console
 * backend): in development, the link to follow is in the terminal.
 */
export function consoleMailer(
  from: string,
  write: (text: string) => void = (text) => console.log(text),
): Mailer {
  return {
    async send({ to, subject, text }) {
      write(
        [
          `evermore: email (EMAIL_BACKEND=console, not sent)`,
          `From: ${from}`,
          `To: ${to}`,
          `Subject: ${subject}`,
          "",
          text,
          "-".repeat(72),
        ].join("\n"),
      );
    },
    async check() {},
  };
}

/** The backend `EMAIL_BACKEND` names, with these settings. */
export function mailerFor(options: EmailSettings): Mailer {
  return options.EMAIL_BACKEND === "smtp"
    ? smtpMailer(options)
    : consoleMailer(options.DEFAULT_FROM_EMAIL);
}

let configured: Mailer | undefined;

/** The process's mailer, as the settings say; made on first use. */
export function mailer(): Mailer {
  configured ??= mailerFor(settings());
  return configured;
}

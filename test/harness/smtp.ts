import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { Mailer } from "../../lib/mail/mailer";
import { smtpMailer } from "../../lib/mail/mailer";
import { freePort, retryingPortClash, sleep } from "./processes";

/**
 * A throwaway SMTP server on a free loopback port (the `smtp-server`
 * package, in this process). Each message it accepts is written whole to
 * `mailDir` as an `.eml` file, so tests in other processes (vitest workers,
 * Playwright specs, the site itself) read what was really delivered.
 */
export interface SmtpService {
  host: string;
  port: number;
  mailDir: string;
  stop(): Promise<void>;
}

export interface SmtpOptions {
  /** Accept logins with these credentials only; without, no login is needed (or offered). */
  login?: { user: string; password: string };
}

let written = 0;

export async function startSmtp({ login }: SmtpOptions = {}): Promise<SmtpService> {
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-mail-"));
  const server = new SMTPServer({
    // Loopback only, and no certificate to offer: the site's default is no STARTTLS, as Django's.
    disabledCommands: login ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !login,
    logger: false,
    // Its greeting would wait for a reverse DNS lookup of 127.0.0.1, which a closed network may never answer.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      if (auth.username === login?.user && auth.password === login?.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        // Written under a temporary name, then renamed: a reader never sees half a message.
        const name = `${Date.now()}-${process.pid}-${String(++written).padStart(6, "0")}`;
        const temporary = path.join(mailDir, `${name}.tmp`);
        fs.writeFileSync(temporary, Buffer.concat(chunks));
        fs.renameSync(temporary, path.join(mailDir, `${name}.eml`));
        callback();
      });
    },
  });
  try {
    const port = await retryingPortClash(async () => {
      const port = await freePort();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
      return port;
    });
    const stop = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(mailDir, { recursive: true, force: true });
    };
    return { host: "127.0.0.1", port, mailDir, stop };
  } catch (error) {
    fs.rmSync(mailDir, { recursive: true, force: true });
    throw error;
  }
}

/** A message as delivered: its envelope-free headers and plain text. */
export interface DeliveredMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  /** The links in the text, in order. */
  links: string[];
}

/** Every message delivered to `mailDir` so far, oldest first. */
export async function deliveredMail(mailDir: string): Promise<DeliveredMail[]> {
  const names = fs
    .readdirSync(mailDir)
    .filter((name) => name.endsWith(".eml"))
    .sort((a, b) => Number(a.split("-")[0]) - Number(b.split("-")[0]) || a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const parsed = await simpleParser(fs.readFileSync(path.join(mailDir, name)));
      const text = parsed.text ?? "";
      const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text;
      return {
        to: to ?? "",
        from: parsed.from?.text ?? "",
        subject: parsed.subject ?? "",
        text,
        links: text.match(/https?:\/\/\S+/g) ?? [],
      };
    }),
  );
}

/** The messages to one address (compared without case), oldest first. */
export async function mailTo(mailDir: string, address: string): Promise<DeliveredMail[]> {
  const wanted = address.toLowerCase();
  return (await deliveredMail(mailDir)).filter((mail) => mail.to.toLowerCase() === wanted);
}

/**
 * Runs `action` and returns the message it sent to `address`: the first to
 * arrive after those already there (an address may be used again).
 */
export async function mailFrom(
  mailDir: string,
  address: string,
  action: () => Promise<unknown>,
): Promise<DeliveredMail> {
  const before = (await mailTo(mailDir, address)).length;
  await action();
  return waitForMail(mailDir, address, { count: before + 1 });
}

/** The uid and token of a link to `/verify/…` or `/reset/…`. */
export function linkParts(link: string): { route: string; uid: string; token: string } {
  const [route = "", uid = "", token = ""] = new URL(link).pathname.split("/").slice(1);
  return { route, uid, token };
}

/**
 * Waits until `address` has received `count` messages (default 1) and
 * returns the last; fails after `timeoutMs` saying what did arrive.
 */
export async function waitForMail(
  mailDir: string,
  address: string,
  { count = 1, timeoutMs = 10_000 } = {},
): Promise<DeliveredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = await mailTo(mailDir, address);
    if (received.length >= count) return received[count - 1]!;
    if (Date.now() > deadline) {
      throw new Error(
        `expected ${count} message(s) to ${address} within ${timeoutMs} ms, got ${received.length}` +
          received.map((mail) => `\n  "${mail.subject}"`).join(""),
      );
    }
    await sleep(50);
  }
}

/** The site's SMTP mailer, pointed at a harness server (`services.smtp` in vitest). */
export function mailerFor(
  smtp: { host: string; port: number },
  options: { user?: string; password?: string; timeout?: number } = {},
): Mailer {
  return smtpMailer({
    EMAIL_HOST: smtp.host,
    EMAIL_PORT: smtp.port,
    EMAIL_HOST_USER: options.user ?? "",
    EMAIL_HOST_PASSWORD: options.password ?? "",
    EMAIL_USE_TLS: false,
    EMAIL_USE_SSL: false,
    EMAIL_TIMEOUT: options.timeout ?? 5,
    DEFAULT_FROM_EMAIL: "Evermore <memories@evermore.test>",
  });
}

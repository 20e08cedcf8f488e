import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findLeaks } from "../../scripts/test/log-scan";
import type { SmtpService } from "../../test/harness/smtp";
import { mailerFor, startSmtp, waitForMail } from "../../test/harness/smtp";
import { freePort } from "../../test/harness/processes";
import { consoleMailer, MailUnavailable } from "./mailer";

let sent = 0;
const address = (name: string) => `${name}.${++sent}.${Date.now()}@example.com`;

describe("the smtp backend", () => {
  const smtp = () => inject("services").smtp;

  it("delivers the message to a real SMTP server, from DEFAULT_FROM_EMAIL, text intact", async () => {
    const to = address("delivered");
    const text = "Hello,\n\nhttp://127.0.0.1:3000/verify/MQ/abc123-0123456789abcdef\n\nÉvermore\n";
    await mailerFor(smtp()).send({ to, subject: "Confirm your email", text });
    const mail = await waitForMail(smtp().mailDir, to);
    expect(mail).toMatchObject({
      to,
      from: `"Evermore" <memories@evermore.test>`,
      subject: "Confirm your email",
      links: ["http://127.0.0.1:3000/verify/MQ/abc123-0123456789abcdef"],
    });
    expect(mail.text.trim()).toBe(text.trim());
  });

  it("says the server can take mail (check) without sending any", async () => {
    await expect(mailerFor(smtp()).check()).resolves.toBeUndefined();
  });

  it("a server that is down: MailUnavailable at once for send and check, naming the server", async () => {
    const port = await freePort();
    const down = mailerFor({ host: "127.0.0.1", port });
    const started = Date.now();
    const failure = down.send({ to: address("nobody"), subject: "x", text: "x" });
    await expect(failure).rejects.toBeInstanceOf(MailUnavailable);
    await expect(failure).rejects.toThrow(`mail: the SMTP server 127.0.0.1:${port} did not take`);
    await expect(down.check()).rejects.toBeInstanceOf(MailUnavailable);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  describe("with EMAIL_HOST_USER and EMAIL_HOST_PASSWORD", () => {
    let guarded: SmtpService;
    const password = "smtp-password-that-never-shows-0123456789";
    beforeAll(async () => {
      guarded = await startSmtp({ login: { user: "evermore", password } });
    });
    afterAll(() => guarded.stop());

    it("logs in and delivers", async () => {
      const to = address("login");
      await mailerFor(guarded, { user: "evermore", password }).send({
        to,
        subject: "s",
        text: "t",
      });
      expect((await waitForMail(guarded.mailDir, to)).subject).toBe("s");
    });

    it("a wrong password fails with MailUnavailable that does not repeat it", async () => {
      const wrong = `${password}-wrong`;
      const mailer = mailerFor(guarded, { user: "evermore", password: wrong });
      const error = await mailer.send({ to: address("refused"), subject: "s", text: "t" }).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(MailUnavailable);
      expect((error as Error).message).toMatch(/EAUTH/);
      expect((error as Error).message).not.toContain(wrong);
    });
  });
});

describe("the console backend", () => {
  it("prints the whole message, link included, and sends nothing", async () => {
    const printed: string[] = [];
    const mailer = consoleMailer("webmaster@localhost", (text) => printed.push(text));
    const link = "http://localhost:3000/reset/MTI/cz1k2a-8b9e3f0a1c2d3e4f5a6b7c8d9e0f1a2b";
    await mailer.send({ to: "ada@example.com", subject: "Choose a new password", text: link });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain("To: ada@example.com");
    expect(printed[0]).toContain("Subject: Choose a new password");
    expect(printed[0]).toContain(link);
    await expect(mailer.check()).resolves.toBeUndefined();
  });

  it("prints links that the run's log scan does not take for session keys", () => {
    // A token's hash is hexadecimal; the scan flags 32 characters of a-z0-9 with a letter past f.
    const line = "http://localhost:3000/verify/MTIzNDU2/1a2b3c4d5-0123456789abcdef0123456789abcdef";
    expect(findLeaks(line, [])).toEqual([]);
  });
});

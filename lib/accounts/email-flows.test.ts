import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../db/client";
import { databaseFor } from "../db/client";
import { drafts } from "../memorials/drafts";
import type { SessionStoreClass } from "../sessions";
import { SessionStore as DbSessionStore } from "../sessions/engines/db";
import { withSettings } from "../sessions/testing/contract";
import { settings } from "../settings";
import { draft } from "../../test/harness/accounts";
import type { TestDatabase } from "../../test/harness/databases";
import { freePort } from "../../test/harness/processes";
import { linkParts, mailerFor, mailFrom, mailTo } from "../../test/harness/smtp";
import { closeAndDrop, databaseBackends } from "../../test/harness/vitest-databases";
import { MAIL_DOWN, MAX_MAIL_PER_ADDRESS } from "./account-mail";
import type { Attempt } from "./flows";
import { logInWithPassword, signUp } from "./flows";
import { userOf } from "./login";
import { setPublished } from "./memorials";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { emailVerificationTokens, uidFor } from "./tokens";
import { confirmEmail, resendVerification, verificationState } from "./verification";

const password = "correct horse battery";
const newPassword = "a brand new password";
let emails = 0;
const newEmail = (name: string) => `${name}.${++emails}.${Date.now()}@example.com`;

describe.each(databaseBackends)("accounts by email ($name)", ({ fresh }) => {
  let database: TestDatabase;
  let client: Database;
  let Store: SessionStoreClass;
  const smtp = inject("services").smtp;
  const mail = mailerFor(smtp);
  let down: ReturnType<typeof mailerFor>;
  const attempt = (email: string, extra: Partial<Attempt> = {}): Attempt => ({
    email,
    password,
    ip: "127.0.0.1",
    device: "Chromium",
    ...extra,
  });

  beforeAll(async () => {
    database = await fresh();
    client = databaseFor(database.url);
    Store = withSettings(DbSessionStore, { DATABASE_URL: database.url });
    // Nothing listens there: a mail server that is down.
    down = mailerFor({ host: "127.0.0.1", port: await freePort() });
  });
  afterAll(() => closeAndDrop(database));

  const account = (email: string) => client.user.findUniqueOrThrow({ where: { email } });
  const signedUp = (email: string, session = new Store()) =>
    mailFrom(smtp.mailDir, email, async () => {
      expect(await signUp(client, session, attempt(email), mail)).toBeNull();
    });
  const follow = (link: string, session = new Store()) => {
    const { uid, token } = linkParts(link);
    return confirmEmail(client, session, uid, token, "Chromium");
  };

  describe("sign-up", () => {
    it("answers a new and an existing email alike; only their emails differ", async () => {
      const email = newEmail("twice");
      const first = await signedUp(email);
      const second = await mailFrom(smtp.mailDir, email, async () => {
        // Another password, as a stranger trying the address would give.
        const stranger = attempt(email, { password: "somebody else's password" });
        expect(await signUp(client, new Store(), stranger, mail)).toBeNull();
      });
      expect(first.subject).toBe("Confirm your email for Evermore");
      expect(linkParts(first.links[0]!)).toMatchObject({ route: "verify" });
      expect(first.links[0]).toMatch(new RegExp(`^${settings().SITE_URL}/verify/`));
      expect(second.subject).toBe("Someone tried to sign up with your email");
      expect(second.text).toContain(`${settings().SITE_URL}/password-reset`);
      // Not yet confirmed: the warning carries a confirmation link too.
      expect(second.links.map((link) => linkParts(link).route)).toContain("verify");
      expect(await client.user.count({ where: { email } })).toBe(1);
    });

    it("tells a confirmed account's owner without a link to follow", async () => {
      const email = newEmail("confirmed");
      await follow((await signedUp(email)).links[0]!);
      const warning = await signedUp(email);
      expect(warning.subject).toBe("Someone tried to sign up with your email");
      expect(warning.links.some((link) => link.includes("/verify/"))).toBe(false);
    });

    it("logs nobody in and leaves the account unconfirmed, its drafts still in the session", async () => {
      const session = new Store();
      await drafts.write(session, [draft("draftwait01", "Waiting")]);
      await session.save();
      const email = newEmail("unconfirmed");
      await signedUp(email, session);
      expect(await userOf(client, session)).toBeNull();
      expect(await drafts.read(session)).toHaveLength(1);
      expect((await account(email)).emailVerified).toBe(false);
    });

    it("with the mail server down says so, and leaves no account behind, new or existing", async () => {
      const email = newEmail("down");
      expect(await signUp(client, new Store(), attempt(email), down)).toBe(MAIL_DOWN);
      expect(await client.user.count({ where: { email } })).toBe(0);
      expect(await mailTo(smtp.mailDir, email)).toEqual([]);
      await signedUp(email);
      expect(await signUp(client, new Store(), attempt(email), down)).toBe(MAIL_DOWN);
      expect(await client.user.count({ where: { email } })).toBe(1);
      // A failed send is not counted: the owner can try again as often as the limit allows.
      for (let i = 1; i < MAX_MAIL_PER_ADDRESS; i++) await signedUp(email);
    });

    it(`sends at most ${MAX_MAIL_PER_ADDRESS} emails to one address in 15 minutes, account or not`, async () => {
      const email = newEmail("flood");
      for (let i = 0; i < MAX_MAIL_PER_ADDRESS; i++) await signedUp(email);
      expect(await signUp(client, new Store(), attempt(email), mail)).toBe(
        "Too many attempts. Please try again in 15 minutes.",
      );
      const nobody = newEmail("flood-nobody");
      for (let i = 0; i < MAX_MAIL_PER_ADDRESS; i++) {
        expect(await requestPasswordReset(client, { email: nobody, ip: null }, mail)).toBeNull();
      }
      expect(await requestPasswordReset(client, { email: nobody, ip: null }, mail)).toBe(
        "Too many attempts. Please try again in 15 minutes.",
      );
      expect(await mailTo(smtp.mailDir, email)).toHaveLength(MAX_MAIL_PER_ADDRESS);
    });
  });

  describe("the confirmation link", () => {
    it("confirms, logs in with the session's drafts, and rotates the key", async () => {
      const session = new Store();
      await drafts.write(session, [draft("draftconf01", "Confirmed")]);
      await session.save();
      const before = session.sessionKey!;
      const email = newEmail("follow");
      const sent = await signedUp(email, session);
      expect(await follow(sent.links[0]!, session)).toEqual({ state: "valid", email });
      await session.save();
      expect(session.sessionKey).not.toBe(before);
      expect((await userOf(client, session))?.email).toBe(email);
      expect((await account(email)).emailVerified).toBe(true);
      const carried = await client.memorial.findMany({ where: { draftId: "draftconf01" } });
      expect(carried.map((memorial) => memorial.ownerId)).toEqual([(await account(email)).id]);
      expect(await new Store(before).items()).toEqual([]);
    });

    it("works once: the second time it says it was used, and logs nobody in", async () => {
      const email = newEmail("once");
      const link = (await signedUp(email)).links[0]!;
      expect((await follow(link)).state).toBe("valid");
      const again = new Store();
      expect(await follow(link, again)).toEqual({ state: "used" });
      expect(await userOf(client, again)).toBeNull();
    });

    it("two requests with one link: one confirms, the other finds it used", async () => {
      const link = (await signedUp(newEmail("race"))).links[0]!;
      const states = await Promise.all([follow(link), follow(link)]);
      expect(states.map((outcome) => outcome.state).sort()).toEqual(["used", "valid"]);
    });

    it("survives a login before it is followed", async () => {
      const email = newEmail("login-first");
      const link = (await signedUp(email)).links[0]!;
      expect(await logInWithPassword(client, new Store(), attempt(email))).toBeNull();
      expect((await follow(link)).state).toBe("valid");
    });

    it("expired or tampered with: says which, and changes nothing", async () => {
      const email = newEmail("stale");
      const link = (await signedUp(email)).links[0]!;
      const user = await account(email);
      const longAgo = new Date(Date.now() - (settings().PASSWORD_RESET_TIMEOUT + 60) * 1000);
      const old = emailVerificationTokens.makeToken(user, { now: longAgo });
      const uid = uidFor(user.id);
      expect((await verificationState(client, uid, old)).state).toBe("expired");
      expect((await confirmEmail(client, new Store(), uid, old, "x")).state).toBe("expired");
      const { token } = linkParts(link);
      const tampered = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
      for (const [badUid, badToken] of [
        [uid, tampered],
        [uidFor(user.id + 1_000_000), token],
        ["%00", token],
        [uid, "../../etc/passwd"],
        [undefined, undefined],
      ]) {
        expect((await confirmEmail(client, new Store(), badUid, badToken, "x")).state).toBe(
          "invalid",
        );
      }
      expect((await account(email)).emailVerified).toBe(false);
    });

    it("can be sent again, to an unconfirmed account only; the answer is the same for any address", async () => {
      const email = newEmail("resend");
      await signedUp(email);
      const again = await mailFrom(smtp.mailDir, email, async () => {
        expect(await resendVerification(client, { email, ip: null }, mail)).toBeNull();
      });
      expect((await follow(again.links[0]!)).state).toBe("valid");
      const nobody = newEmail("nobody");
      expect(await resendVerification(client, { email: nobody, ip: null }, mail)).toBeNull();
      expect(await resendVerification(client, { email, ip: null }, mail)).toBeNull();
      expect(await mailTo(smtp.mailDir, nobody)).toEqual([]);
      expect(await mailTo(smtp.mailDir, email)).toHaveLength(2);
      expect(await resendVerification(client, { email: nobody, ip: null }, down)).toBe(MAIL_DOWN);
    });
  });

  describe("publishing", () => {
    it("an unconfirmed account may log in and draft, but publishing waits for the link", async () => {
      const email = newEmail("publisher");
      const session = new Store();
      await drafts.write(session, [draft("draftpub001", "Published")]);
      await session.save();
      const link = (await signedUp(email, session)).links[0]!;
      expect(await logInWithPassword(client, session, attempt(email))).toBeNull();
      const user = (await userOf(client, session))!;
      const memorial = await client.memorial.findFirstOrThrow({ where: { ownerId: user.id } });

      expect(await setPublished(client, user, memorial.id, true)).toBe("unconfirmed");
      expect(await setPublished(client, user, memorial.id + 1_000_000, true)).toBe("missing");
      // Claiming to be confirmed does not help: the database is asked again.
      expect(await setPublished(client, { ...user, emailVerified: true }, memorial.id, true)).toBe(
        "missing",
      );
      expect(
        (await client.memorial.findUniqueOrThrow({ where: { id: memorial.id } })).published,
      ).toBe(false);

      await follow(link, session);
      const confirmed = (await userOf(client, session))!;
      expect(await setPublished(client, confirmed, memorial.id, true)).toBe("done");
      expect(await setPublished(client, confirmed, memorial.id, false)).toBe("done");
    });
  });

  describe("password reset", () => {
    const requested = (email: string) =>
      mailFrom(smtp.mailDir, email, async () => {
        expect(await requestPasswordReset(client, { email, ip: "127.0.0.1" }, mail)).toBeNull();
      });

    it("answers the same with or without an account; only an account gets a link", async () => {
      const email = newEmail("forgot");
      await signedUp(email);
      const sent = await requested(email);
      expect(sent.subject).toBe("Choose a new password for Evermore");
      expect(linkParts(sent.links[0]!)).toMatchObject({ route: "reset" });
      const nobody = newEmail("no-account");
      expect(await requestPasswordReset(client, { email: nobody, ip: null }, mail)).toBeNull();
      expect(await mailTo(smtp.mailDir, nobody)).toEqual([]);
      expect(await requestPasswordReset(client, { email: "not an email", ip: null }, mail)).toBe(
        "Please enter a valid email address.",
      );
    });

    it("with the mail server down answers the same for both, and nothing was sent", async () => {
      const email = newEmail("reset-down");
      await signedUp(email);
      const nobody = newEmail("reset-down-nobody");
      expect(await requestPasswordReset(client, { email, ip: null }, down)).toBe(MAIL_DOWN);
      expect(await requestPasswordReset(client, { email: nobody, ip: null }, down)).toBe(MAIL_DOWN);
      expect((await mailTo(smtp.mailDir, email)).map((sent) => sent.subject)).toEqual([
        "Confirm your email for Evermore",
      ]);
    });

    it("sets the new password once, confirms the email and logs out every device", async () => {
      const email = newEmail("reset");
      await signedUp(email);
      const laptop = new Store();
      const phone = new Store();
      expect(await logInWithPassword(client, laptop, attempt(email))).toBeNull();
      expect(await logInWithPassword(client, phone, attempt(email))).toBeNull();
      const link = (await requested(email)).links[0]!;
      const { uid, token } = linkParts(link);

      const here = new Store();
      const short = await resetPassword(client, here, { uid, token, password: "short" });
      expect(short).toMatchObject({ done: false, state: "valid", message: /10 to 200/ });
      expect(await resetPassword(client, here, { uid, token, password: newPassword })).toEqual({
        done: true,
      });
      expect(await userOf(client, laptop)).toBeNull();
      expect(await userOf(client, phone)).toBeNull();
      expect((await account(email)).emailVerified).toBe(true);
      expect(await logInWithPassword(client, new Store(), attempt(email))).toBe(
        "That email and password do not match an account.",
      );
      expect(
        await logInWithPassword(client, new Store(), attempt(email, { password: newPassword })),
      ).toBeNull();
      // Used: the token named the old password.
      const again = { uid, token, password: "yet another password" };
      expect(await resetPassword(client, new Store(), again)).toEqual({
        done: false,
        state: "invalid",
      });
    });

    it("a login after the email was sent makes its link invalid", async () => {
      const email = newEmail("reset-login");
      await signedUp(email);
      const { uid, token } = linkParts((await requested(email)).links[0]!);
      // last_login has whole seconds: the login must fall in a later second than the email.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await logInWithPassword(client, new Store(), attempt(email))).toBeNull();
      const outcome = await resetPassword(client, new Store(), {
        uid,
        token,
        password: newPassword,
      });
      expect(outcome).toEqual({ done: false, state: "invalid" });
    });
  });
});

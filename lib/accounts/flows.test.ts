import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Database } from "../db/client";
import { databaseFor } from "../db/client";
import type { Draft } from "../memorials/drafts";
import { drafts } from "../memorials/drafts";
import { photoFile } from "../memorials/photo-files";
import type { SessionBase, SessionStoreClass } from "../sessions";
import { withSettings } from "../sessions/testing/contract";
import { SessionStore as DbSessionStore } from "../sessions/engines/db";
import type { TestDatabase } from "../../test/harness/databases";
import { draft, unstorableDraft } from "../../test/harness/accounts";
import { linkParts, mailerFor, mailFrom } from "../../test/harness/smtp";
import { closeAndDrop, databaseBackends } from "../../test/harness/vitest-databases";
import { logOutOtherDevices } from "./devices";
import type { Attempt } from "./flows";
import { logInWithPassword, signUp } from "./flows";
import { endStaleLogin, loginWentStale, logOut, userOf } from "./login";
import { sessionAuthHash } from "./auth-hash";
import { BACKEND_KEY, HASH_KEY, NEXT_HASH_KEY, USER_ID_KEY } from "./session-keys";
import { deviceCookieFor } from "./trusted-device";
import { confirmEmail } from "./verification";

const password = "correct horse battery";
let emails = 0;
const newEmailFor = (name: string) => `${name}.${++emails}.${Date.now()}@example.com`;

describe.each(databaseBackends)("signing up, logging in and out ($name)", ({ fresh }) => {
  let database: TestDatabase;
  let client: Database;
  let Store: SessionStoreClass;
  const attempt = (email: string, extra: Partial<Attempt> = {}): Attempt => ({
    email,
    password,
    ip: "127.0.0.1",
    device: "Chromium",
    ...extra,
  });

  let uploads: string;
  const smtp = inject("services").smtp;
  const mail = mailerFor(smtp);

  /** Signs up as a browser would, then follows the emailed link in the same session. */
  async function confirmedSignUp(session: SessionBase, email: string) {
    const sent = await mailFrom(smtp.mailDir, email, async () => {
      expect(await signUp(client, session, attempt(email), mail)).toBeNull();
    });
    const { uid, token } = linkParts(sent.links[0]!);
    return confirmEmail(client, session, uid, token, "Chromium");
  }

  /** A photo's two files, as an upload leaves them. */
  function storedPhoto(id: string) {
    for (const variant of ["full", "thumb"] as const)
      fs.writeFileSync(photoFile(id, variant), "webp");
    return id;
  }
  const photoFilesExist = (id: string) =>
    (["full", "thumb"] as const).map((variant) => fs.existsSync(photoFile(id, variant)));

  beforeAll(async () => {
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-flows-uploads-"));
    vi.stubEnv("UPLOADS_DIR", uploads);
    database = await fresh();
    client = databaseFor(database.url);
    Store = withSettings(DbSessionStore, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    fs.rmSync(uploads, { recursive: true, force: true });
    await closeAndDrop(database);
  });

  /** An anonymous visitor's saved session holding two drafts. */
  async function visitorWithDrafts() {
    const session = new Store();
    await drafts.write(session, [
      draft("draftpip001", "Pip", ["photopip01"]),
      draft("draftmo0001", "Mo"),
    ]);
    await session.save();
    return session;
  }

  it("the sign-up link carries the drafts, rotates the key, and the old key opens nothing", async () => {
    const session = await visitorWithDrafts();
    const oldKey = session.sessionKey!;
    expect(await confirmedSignUp(session, "new@example.com")).toMatchObject({ state: "valid" });
    await session.save();

    expect(session.sessionKey).not.toBe(oldKey);
    expect(await drafts.read(session)).toEqual([]);
    const user = await userOf(client, session);
    expect(user?.email).toBe("new@example.com");
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    const names = await client.memorial.findMany({ where: { ownerId: user!.id } });
    expect(names.map((memorial) => memorial.name).sort()).toEqual(["Mo", "Pip"]);
    expect(await new Store(oldKey).items()).toEqual([]);
  });

  it("logging in again with drafts already carried adds no duplicates", async () => {
    const session = await visitorWithDrafts(); // the same draft ids, as after a failed session save
    expect(await logInWithPassword(client, session, attempt("NEW@example.com"))).toBeNull();
    const user = await userOf(client, session);
    expect(await client.memorial.count({ where: { ownerId: user!.id } })).toBe(2);
  });

  it("logging in on a session of another user logs them out first: their drafts go to their account", async () => {
    await signUp(client, new Store(), attempt("other@example.com"), mail);
    const session = new Store();
    await logInWithPassword(client, session, attempt("new@example.com"));
    const previous = (await userOf(client, session))!;
    await session.set("visitorName", "Ada");
    await drafts.write(session, [draft("draftours01", "Ours")]);
    await session.save();
    const theirKey = session.sessionKey!;

    expect(await logInWithPassword(client, session, attempt("other@example.com"))).toBeNull();
    expect(await session.get("visitorName")).toBeUndefined();
    expect((await userOf(client, session))?.email).toBe("other@example.com");
    const carried = await client.memorial.findMany({ where: { draftId: "draftours01" } });
    expect(carried.map((memorial) => memorial.ownerId)).toEqual([previous.id]);
    expect(await new Store(theirKey).items()).toEqual([]);
  });

  it("a carry the database refuses keeps the drafts in the logged-in session: nothing is lost", async () => {
    // The draft lists one photo twice: carrying it breaks the photo's primary key, and rolls back.
    const session = new Store();
    await session.set("visitorName", "Ada");
    const mine = [draft("draftclash1", "Fine"), unstorableDraft("draftclash2")];
    await drafts.write(session, mine);
    await session.save();
    const oldKey = session.sessionKey!;

    expect(await logInWithPassword(client, session, attempt("new@example.com"))).toBeNull();
    await session.save();
    expect(await new Store(oldKey).keys()).toEqual([]);
    const reloaded = new Store(session.sessionKey);
    expect(await reloaded.get("visitorName")).toBe("Ada");
    expect(await drafts.read(reloaded)).toEqual(mine);
    expect((await userOf(client, reloaded))?.email).toBe("new@example.com");
    expect(
      await client.memorial.count({ where: { draftId: { in: ["draftclash1", "draftclash2"] } } }),
    ).toBe(0);
  });

  /** The story of a draft as an autosave leaves it: the last words typed. */
  const withStory = (made: Draft, body: string): Draft => ({
    ...made,
    stories: [{ ...made.stories[0]!, body }],
  });
  const storyOf = async (draftId: string) =>
    (await client.memorialStory.findMany({ where: { memorial: { draftId } } })).map(
      (story) => story.body,
    );

  it("an autosave landing between a login's read and its key change reaches the account", async () => {
    const session = await visitorWithDrafts();
    const login = new Store(session.sessionKey);
    await login.keys(); // the login request has read the session
    const autosave = new Store(session.sessionKey);
    await drafts.change(autosave, (list) =>
      list.map((made) => withStory(made, `${made.name}: typed during the login`)),
    );
    await autosave.save();

    const email = newEmailFor("racing-login");
    expect(await signUp(client, new Store(), attempt(email))).toBeNull();
    expect(await logInWithPassword(client, login, attempt(email))).toBeNull();
    await login.save();
    expect(await storyOf("draftpip001")).toContain("Pip: typed during the login");
    expect(await new Store(session.sessionKey).keys()).toEqual([]);
    expect(await drafts.read(new Store(login.sessionKey))).toEqual([]);
  });

  it("an autosave landing between a logout's read and its flush reaches the account", async () => {
    const email = newEmailFor("racing-logout");
    const session = new Store();
    expect(await confirmedSignUp(session, email)).toMatchObject({ state: "valid" });
    const made = draft("draftrace01", "Juno");
    await drafts.write(session, [made]);
    await session.save();
    const logout = new Store(session.sessionKey);
    await drafts.read(logout); // the logout request has read the session
    const autosave = new Store(session.sessionKey);
    await drafts.write(autosave, [withStory(made, "typed during the logout")]);
    await autosave.save();

    await logOut(client, logout);
    expect(logout.isEmpty()).toBe(true);
    expect(await storyOf("draftrace01")).toEqual(["typed during the logout"]);
    expect(await client.memorial.count({ where: { draftId: "draftrace01" } })).toBe(1);
    expect(await new Store(session.sessionKey).keys()).toEqual([]);
  });

  /** A session of other@example.com holding a draft made while logged in, then logged out from another device. */
  async function staleLoginWithDraft(draftId: string, photoId: string) {
    const session = new Store();
    await logInWithPassword(client, session, attempt("other@example.com"));
    await drafts.write(session, [draft(draftId, "Stale", [storedPhoto(photoId)])]);
    await session.save();
    const elsewhere = new Store();
    await logInWithPassword(client, elsewhere, attempt("other@example.com"));
    const owner = (await userOf(client, elsewhere))!;
    await logOutOtherDevices(client, elsewhere, owner);
    return { session: new Store(session.sessionKey), owner };
  }

  const ownersOf = async (draftId: string) =>
    (await client.memorial.findMany({ where: { draftId } })).map((memorial) => memorial.ownerId);

  it("drafts made before a login went stale go to that account when someone else logs in there", async () => {
    const { session, owner } = await staleLoginWithDraft("draftstale1", "photostale");
    expect(await userOf(client, session)).toBeNull();
    expect(await loginWentStale(client, session)).toBe(true);

    expect(await logInWithPassword(client, session, attempt("new@example.com"))).toBeNull();
    expect((await userOf(client, session))?.email).toBe("new@example.com");
    expect(await drafts.read(session)).toEqual([]);
    expect(await ownersOf("draftstale1")).toEqual([owner.id]);
    expect(photoFilesExist("photostale")).toEqual([true, true]);
  });

  it("endStaleLogin hands a stale login's drafts to its account and starts the visitor afresh", async () => {
    const { session, owner } = await staleLoginWithDraft("draftstale2", "photostal2");
    const oldKey = session.sessionKey!;
    expect(await endStaleLogin(client, session)).toBe(true);
    await session.save();
    expect(await session.keys()).toEqual([]);
    expect(await new Store(oldKey).keys()).toEqual([]);
    expect(await ownersOf("draftstale2")).toEqual([owner.id]);
    expect(photoFilesExist("photostal2")).toEqual([true, true]);
    // Nothing stale is left: a second call, or a current login, changes nothing.
    expect(await endStaleLogin(client, session)).toBe(false);
    await logInWithPassword(client, session, attempt("new@example.com"));
    expect(await endStaleLogin(client, session)).toBe(false);
    expect((await userOf(client, session))?.email).toBe("new@example.com");
  });

  it("logging out a session whose login went stale still carries its drafts to that account", async () => {
    const { session, owner } = await staleLoginWithDraft("draftstale3", "photostal3");
    await logOut(client, session);
    expect(await ownersOf("draftstale3")).toEqual([owner.id]);
    expect(photoFilesExist("photostal3")).toEqual([true, true]);
  });

  it("logout keeps the drafts started while logged in: they are in the account afterwards", async () => {
    const session = new Store();
    await logInWithPassword(client, session, attempt("new@example.com"));
    const user = (await userOf(client, session))!;
    await drafts.write(session, [draft("draftlate01", "Late", [storedPhoto("photolate1")])]);
    await session.save();

    await logOut(client, session);
    expect(photoFilesExist("photolate1")).toEqual([true, true]);
    expect(session.isEmpty()).toBe(true);
    const [kept] = await client.memorial.findMany({
      where: { draftId: "draftlate01" },
      include: { photos: true },
    });
    expect(kept?.ownerId).toBe(user.id);
    expect(kept?.photos.map((photo) => photo.id)).toEqual(["photolate1"]);
  });

  it("an anonymous visitor's logout forgets their drafts and deletes their photos' files", async () => {
    const session = new Store();
    const photo = storedPhoto("photoanon1");
    await drafts.write(session, [draft("draftanon01", "Anon", [photo])]);
    await session.save();
    await logOut(client, session);
    expect(session.isEmpty()).toBe(true);
    expect(await client.memorial.count({ where: { draftId: "draftanon01" } })).toBe(0);
    expect(photoFilesExist(photo)).toEqual([false, false]);
  });

  it("a photo file that cannot be removed is reported and the logout still happens", async () => {
    const session = new Store();
    fs.mkdirSync(photoFile("photostuck", "full")); // a directory where the file should be
    await drafts.write(session, [draft("draftstuck1", "Stuck", ["photostuck"])]);
    await session.save();
    const key = session.sessionKey!;
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await logOut(client, session);
      expect(errors).toHaveBeenCalledWith(
        expect.stringMatching(/forgotten photos could not all be removed/),
      );
    } finally {
      errors.mockRestore();
    }
    expect(session.isEmpty()).toBe(true);
    expect(await new Store(key).exists(key)).toBe(false);
  });

  it("a forgotten draft's photo that a memorial holds keeps its files", async () => {
    const visitor = new Store();
    const photo = storedPhoto("photokeep1");
    await drafts.write(visitor, [draft("draftkeep01", "Keep", [photo])]);
    expect(await confirmedSignUp(visitor, newEmailFor("keeper"))).toMatchObject({ state: "valid" });
    // Another session still naming the carried photo (as a copy made before the login would).
    const session = new Store();
    await drafts.write(session, [draft("draftkeep02", "Keep too", [photo])]);
    await session.save();
    await logOut(client, session);
    expect(photoFilesExist(photo)).toEqual([true, true]);
  });

  it("logout deletes the record, and the old key is an anonymous visitor", async () => {
    const session = new Store();
    await logInWithPassword(client, session, attempt("new@example.com"));
    await session.save();
    const key = session.sessionKey!;
    await logOut(client, session);
    expect(session.isEmpty()).toBe(true);
    expect(await new Store(key).exists(key)).toBe(false);
    expect(await userOf(client, new Store(key))).toBeNull();
  });

  it("logging out other devices makes their sessions anonymous and keeps this one", async () => {
    const here = new Store();
    const there = new Store();
    await logInWithPassword(client, here, attempt("new@example.com"));
    await logInWithPassword(client, there, attempt("new@example.com"));
    await Promise.all([here.save(), there.save()]);
    const user = (await userOf(client, here))!;

    await logOutOtherDevices(client, here, user);
    await here.save();
    expect((await userOf(client, new Store(here.sessionKey)))?.id).toBe(user.id);
    expect(await userOf(client, new Store(there.sessionKey))).toBeNull();
  });

  it("the device logging out the others never finds itself logged out, even before its save", async () => {
    const email = newEmailFor("clicker");
    const here = new Store();
    const there = new Store();
    await confirmedSignUp(here, email);
    await logInWithPassword(client, there, attempt(email));
    await Promise.all([here.save(), there.save()]);
    const user = (await userOf(client, here))!;

    await logOutOtherDevices(client, here, user);
    // Another tab of this device, read before the action's own save at its end.
    const tab = new Store(here.sessionKey);
    expect(await loginWentStale(client, tab)).toBe(false);
    expect((await userOf(client, tab))?.id).toBe(user.id);
    expect(await userOf(client, new Store(there.sessionKey))).toBeNull();

    await here.save();
    const after = new Store(here.sessionKey);
    expect((await userOf(client, after))?.id).toBe(user.id);
    expect(await after.has(NEXT_HASH_KEY)).toBe(false);
  });

  it("a hash saved for an epoch that never came keeps no device logged in later", async () => {
    const email = newEmailFor("leftover");
    const interrupted = new Store();
    const owner = new Store();
    await signUp(client, interrupted, attempt(email));
    await logInWithPassword(client, owner, attempt(email));
    const user = (await userOf(client, owner))!;
    // What an attempt that saved its next hash and never moved the epoch would leave.
    await interrupted.set(
      NEXT_HASH_KEY,
      sessionAuthHash({ ...user, sessionEpoch: user.sessionEpoch + 1 }),
    );
    await Promise.all([interrupted.save(), owner.save()]);

    await logOutOtherDevices(client, owner, user);
    await owner.save();
    expect(await userOf(client, new Store(interrupted.sessionKey))).toBeNull();
    expect((await userOf(client, new Store(owner.sessionKey)))?.id).toBe(user.id);
  });

  it("a forged or missing auth hash is anonymous", async () => {
    const session = new Store();
    await logInWithPassword(client, session, attempt("new@example.com"));
    await session.set(HASH_KEY, "0".repeat(64));
    expect(await userOf(client, session)).toBeNull();
    await session.delete(HASH_KEY);
    expect(await userOf(client, session)).toBeNull();
    await session.set(USER_ID_KEY, "999999");
    expect(await userOf(client, session)).toBeNull();
  });

  it("a login another backend recorded (a Django app sharing sessions) is not this site's", async () => {
    const owner = new Store();
    await logInWithPassword(client, owner, attempt("other@example.com"));
    const ownerId = String((await userOf(client, owner))!.id);
    // Django's user with the same id, logged in through Django, drafting here.
    const django = new Store();
    await django.update({
      [USER_ID_KEY]: ownerId,
      [BACKEND_KEY]: "django.contrib.auth.backends.ModelBackend",
      [HASH_KEY]: "d".repeat(64),
    });
    await drafts.write(django, [draft("draftdjango", "Django's", [storedPhoto("photodjang")])]);
    await django.save();
    expect(await userOf(client, django)).toBeNull();
    expect(await loginWentStale(client, django)).toBe(false);
    expect(await endStaleLogin(client, django)).toBe(false);
    expect(await ownersOf("draftdjango")).toEqual([]);
    expect(await drafts.read(django)).toHaveLength(1);
  });

  it("answers bad input and wrong passwords with a message, and logs no one in", async () => {
    const session = new Store();
    expect(await signUp(client, session, attempt("not an email"))).toMatch(/valid email/);
    expect(await signUp(client, session, attempt("a@example.com", { password: "short" }))).toMatch(
      /10 to 200 characters/,
    );
    expect(await logInWithPassword(client, session, attempt("", { password: "" }))).toMatch(
      /enter your email and password/,
    );
    const wrong = attempt("new@example.com", { password: "wrong password!" });
    expect(await logInWithPassword(client, session, wrong)).toBe(
      "That email and password do not match an account.",
    );
    expect(await logInWithPassword(client, session, attempt("nobody@example.com"))).toBe(
      "That email and password do not match an account.",
    );
    expect(await session.get(USER_ID_KEY)).toBeUndefined();
  });

  it("an overlong email or client address gets the usual answers, not a database error", async () => {
    const session = new Store();
    const longEmail = `${"a".repeat(400)}@example.com`;
    expect(await signUp(client, session, attempt(longEmail))).toBe(
      "Please enter a valid email address.",
    );
    expect(await logInWithPassword(client, session, attempt(longEmail))).toBe(
      "Please enter a valid email address.",
    );
    const forged = attempt(newEmailFor("forged"), {
      password: "wrong password!",
      ip: `203.0.113.${"9".repeat(400)}`,
    });
    expect(await logInWithPassword(client, session, forged)).toBe(
      "That email and password do not match an account.",
    );
    // PostgreSQL refuses a NUL in any text parameter: no account has one, and no query sees it.
    const withNul = attempt("a\u0000@example.com", {
      deviceCookie: deviceCookieFor("a@example.com"),
    });
    expect(await logInWithPassword(client, session, withNul)).toBe(
      "Please enter a valid email address.",
    );
    expect(await signUp(client, session, withNul)).toBe("Please enter a valid email address.");
    expect(await session.get(USER_ID_KEY)).toBeUndefined();
  });

  it("wrong passwords from elsewhere do not lock the owner out of a browser they logged in from", async () => {
    const email = newEmailFor("owner");
    await signUp(client, new Store(), attempt(email), mail);
    const ownDevice = deviceCookieFor(email);
    const guess = attempt(email, { password: "wrong password!", ip: "198.51.100.7" });
    for (let i = 0; i < 5; i++) await logInWithPassword(client, new Store(), guess);
    expect(await logInWithPassword(client, new Store(), attempt(email))).toBe(
      "Too many attempts. Please try again in 15 minutes.",
    );
    const session = new Store();
    expect(
      await logInWithPassword(client, session, attempt(email, { deviceCookie: ownDevice })),
    ).toBeNull();
    expect(await session.get(USER_ID_KEY)).toBeDefined();
    // Logging in proved who they are: the email's failures are forgotten, for every browser.
    expect(await logInWithPassword(client, new Store(), attempt(email))).toBeNull();
  });

  it("failures sent from the owner's own address never refuse the owner's trusted browser there", async () => {
    const email = newEmailFor("shared");
    await signUp(client, new Store(), attempt(email, { ip: "198.51.100.30" }));
    const now = new Date();
    // 100 failures "from" the owner's address: other emails, other clients, a forged header.
    await client.loginAttempt.createMany({
      data: Array.from({ length: 100 }, () => ({ bucket: "ip:198.51.100.30", createdAt: now })),
    });
    const here = { ip: "198.51.100.30" };
    expect(await logInWithPassword(client, new Store(), attempt(email, here))).toBe(
      "Too many attempts. Please try again in 15 minutes.",
    );
    const session = new Store();
    const trusted = attempt(email, { ...here, deviceCookie: deviceCookieFor(email) });
    expect(await logInWithPassword(client, session, trusted)).toBeNull();
    expect(await session.get(USER_ID_KEY)).toBeDefined();
  });

  it("a trusted browser that keeps failing is limited too, and its cookie helps no other email", async () => {
    const email = newEmailFor("device");
    await signUp(client, new Store(), attempt(email), mail);
    const device = deviceCookieFor(email);
    const wrong = attempt(email, { password: "wrong password!", deviceCookie: device });
    for (let i = 0; i < 5; i++) await logInWithPassword(client, new Store(), wrong);
    expect(
      await logInWithPassword(client, new Store(), attempt(email, { deviceCookie: device })),
    ).toBe("Too many attempts. Please try again in 15 minutes.");
    const other = newEmailFor("other");
    await signUp(client, new Store(), attempt(other), mail);
    for (let i = 0; i < 5; i++) {
      await logInWithPassword(client, new Store(), attempt(other, { password: "wrong password!" }));
    }
    expect(
      await logInWithPassword(client, new Store(), attempt(other, { deviceCookie: device })),
    ).toBe("Too many attempts. Please try again in 15 minutes.");
  });

  it("wrong passwords sent all at once are checked no more than 5 times", async () => {
    const email = newEmailFor("burst");
    await signUp(client, new Store(), attempt(email), mail);
    const guess = attempt(email, { password: "wrong password!", ip: "198.51.100.20" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => logInWithPassword(client, new Store(), guess)),
    );
    const mismatch = "That email and password do not match an account.";
    const checked = answers.filter((answer) => answer === mismatch).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(answers.filter((answer) => answer?.startsWith("Too many attempts."))).toHaveLength(
      20 - checked,
    );
    // Only checked passwords count: the limit comes after exactly 5 of them, however they came.
    for (let i = checked; i < 5; i++) {
      expect(await logInWithPassword(client, new Store(), guess)).toBe(mismatch);
    }
    expect(await logInWithPassword(client, new Store(), attempt(email))).toBe(
      "Too many attempts. Please try again in 15 minutes.",
    );
  });

  it("after 5 wrong passwords even the right one waits", async () => {
    const session = new Store();
    const wrong = attempt("limited@example.com", { password: "wrong password!" });
    await signUp(client, new Store(), attempt("limited@example.com"), mail);
    for (let i = 0; i < 5; i++) await logInWithPassword(client, session, wrong);
    expect(await logInWithPassword(client, session, attempt("limited@example.com"))).toBe(
      "Too many attempts. Please try again in 15 minutes.",
    );
    expect(await session.get(USER_ID_KEY)).toBeUndefined();
  });
});

import { expect, test } from "@playwright/test";
import {
  contextWithCookie,
  draft,
  existingAccount,
  formError,
  logIn,
  logOut,
  newEmail,
  putDrafts,
  sessionCookie,
  sessionState,
  signUp,
} from "./fixtures/accounts";
import { startMemorial } from "./support/drafts";

const stories = { tag: "@stories" };
/**
 * Stories about an old cookie going dead. With a cookie engine the cookie is
 * the session, and a copy of it stays valid until it expires (as in Django),
 * so the runner leaves these out of its cookie-engine run.
 */
const revocation = { tag: ["@stories", "@server-side-store"] };

// Each story signs up (an argon2id hash of 19 MiB) and drives several pages; give it room.
test.describe.configure({ timeout: 90_000 });

test(
  "signing up keeps the drafts and changes the cookie; the old cookie opens nothing",
  revocation,
  async ({ page, context, browser, baseURL }) => {
    await putDrafts(page.request, [draft("Biscuit"), draft("Pepper")]);
    const before = await sessionCookie(context);
    expect(before).toBeTruthy();

    const email = newEmail("carry");
    await signUp(page, email);
    await expect(page.getByRole("link", { name: "Biscuit" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Pepper" })).toBeVisible();
    const after = await sessionCookie(context);
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(await sessionState(page.request)).toEqual({ drafts: [], user: email });

    const thief = await contextWithCookie(browser, baseURL!, before!);
    expect(await sessionState(thief.request)).toEqual({ drafts: [], user: null });
    const thiefPage = await thief.newPage();
    await thiefPage.goto("/account");
    await expect(thiefPage).toHaveURL(/\/login$/);
    await thief.close();
  },
);

test(
  "logging out leaves an anonymous visitor, and the old cookie is dead",
  revocation,
  async ({ page, context, browser, baseURL }) => {
    const email = newEmail("logout");
    await signUp(page, email);
    const loggedIn = await sessionCookie(context);
    await logOut(page);
    await expect(page).toHaveURL(/\/$/);
    expect(await sessionCookie(context)).toBeUndefined();

    const old = await contextWithCookie(browser, baseURL!, loggedIn!);
    expect(await sessionState(old.request)).toEqual({ drafts: [], user: null });
    await old.close();
  },
);

test(
  "logging in on a session of another user logs them out first; their drafts stay theirs",
  stories,
  async ({ page, browser, baseURL }) => {
    const other = newEmail("other");
    const setup = await browser.newContext({ baseURL });
    await signUp(await setup.newPage(), other);
    await setup.close();

    const first = newEmail("first");
    await signUp(page, first);
    await putDrafts(page.request, [draft("Not yours")]);
    await logIn(page, other);
    await expect(page.getByRole("heading", { level: 1, name: other })).toBeVisible();
    await expect(page.getByText("No memorials yet")).toBeVisible();
    expect(await sessionState(page.request)).toEqual({ drafts: [], user: other });

    await logOut(page);
    await logIn(page, first);
    await expect(page.getByRole("heading", { level: 1, name: first })).toBeVisible();
    await expect(page.getByRole("link", { name: "Not yours" })).toBeVisible();
  },
);

test(
  "a memorial started while logged in is in the account after logging out and in again",
  stories,
  async ({ page }) => {
    const email = newEmail("later");
    await signUp(page, email);
    await startMemorial(page, "Juniper", "cat");
    await logOut(page);

    await logIn(page, email);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("link", { name: "Juniper" })).toBeVisible();
  },
);

test("a wrong password says so and logs no one in", stories, async ({ page }) => {
  const email = await existingAccount(page, "wrong");
  await logIn(page, email, "not the password at all");
  await expect(formError(page)).toHaveText("That email and password do not match an account.");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  expect((await sessionState(page.request)).user).toBeNull();
});

test(
  "too many wrong passwords ask the visitor to wait, even with the right one",
  stories,
  async ({ page }) => {
    const email = await existingAccount(page, "limited");
    for (let i = 0; i < 5; i++) {
      await logIn(page, email, `wrong password ${i}`);
      await expect(formError(page)).toContainText("do not match");
    }
    await logIn(page, email);
    await expect(formError(page)).toHaveText("Too many attempts. Please try again in 15 minutes.");
    expect((await sessionState(page.request)).user).toBeNull();
  },
);

test(
  "wrong passwords from another browser do not lock the owner out of the one they use",
  stories,
  async ({ page, context, browser, baseURL }) => {
    const email = await existingAccount(page, "owner");
    const device = (await context.cookies()).find((cookie) => cookie.name === "evermore_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(device!.value).not.toContain(email.split("@")[0]);

    const stranger = await browser.newContext({ baseURL });
    const strangerPage = await stranger.newPage();
    for (let i = 0; i < 5; i++) {
      await logIn(strangerPage, email, `wrong password ${i}`);
      await expect(formError(strangerPage)).toContainText("do not match");
    }
    await logIn(strangerPage, email);
    await expect(formError(strangerPage)).toHaveText(
      "Too many attempts. Please try again in 15 minutes.",
    );
    await stranger.close();

    await logIn(page, email);
    await expect(page).toHaveURL(/\/account$/);
    expect((await sessionState(page.request)).user).toBe(email);
  },
);

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test(
    "sign-up, a wrong password and logout still work as plain forms",
    stories,
    async ({ page }) => {
      const email = await existingAccount(page, "nojs");
      await logIn(page, email, "not the password at all");
      await expect(formError(page)).toHaveText("That email and password do not match an account.");
      await logIn(page, email);
      await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
    },
  );
});

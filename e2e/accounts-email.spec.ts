import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import {
  draft,
  existingAccount,
  formError,
  logIn,
  newEmail,
  PASSWORD,
  putDrafts,
  sessionState,
  submitSignUp,
} from "./fixtures/accounts";
import { allMailTo, confirmWith, linkIn, mailAfter, mailNumber } from "./fixtures/mail";

const stories = { tag: "@stories" };
const NEW_PASSWORD = "an entirely new password";

// Each story signs up (an argon2id hash of 19 MiB), reads email and drives several pages.
test.describe.configure({ timeout: 90_000 });

/** A link as the site would have emailed it `ageSeconds` ago (app/testing/email-links). */
async function oldLink(page: Page, email: string, route: "verify" | "reset", ageSeconds: number) {
  const response = await page.request.post("/testing/email-links", {
    data: { email, route, ageSeconds },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { link: string }).link;
}

/** The same link with its last character changed. */
function tampered(link: string): string {
  return link.slice(0, -1) + (link.endsWith("a") ? "b" : "a");
}

const THREE_DAYS_AND_MORE = 259_200 + 3_600;

test(
  "sign-up shows the same page for a new and an existing email; each inbox gets its own email",
  stories,
  async ({ page, browser, baseURL }) => {
    const email = newEmail("same-page");
    const first = await mailAfter(email, () => submitSignUp(page, email));
    const firstPage = await page.locator("main").innerText();
    expect(await sessionState(page.request)).toMatchObject({ user: null });

    const stranger = await browser.newContext({ baseURL });
    const strangerPage = await stranger.newPage();
    const second = await mailAfter(email, () =>
      submitSignUp(strangerPage, email, "a stranger's other password"),
    );
    expect(await strangerPage.locator("main").innerText()).toBe(firstPage);
    expect(strangerPage.url()).toBe(page.url());
    await stranger.close();

    expect(first.subject).toBe("Confirm your email for Evermore");
    expect(second.subject).toBe("Someone tried to sign up with your email");
    expect(second.text).toContain("/password-reset");
  },
);

test(
  "the confirmation link logs in with this browser's drafts; used again, it says so kindly",
  stories,
  async ({ page }) => {
    await putDrafts(page.request, [draft("Biscuit")]);
    const email = newEmail("confirm");
    const sent = await mailAfter(email, () => submitSignUp(page, email));
    const link = linkIn(sent, "verify");
    expect(link.startsWith(new URL(page.url()).origin)).toBe(true);

    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your email");
    await expect(page.getByText(email)).toBeVisible();
    // The keyboard alone confirms.
    await page.getByRole("button", { name: "Confirm and log in" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/account\?confirmed=1$/);
    await expect(page.getByRole("status")).toHaveText("Your email is confirmed. Welcome.");
    await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
    await expect(page.getByRole("link", { name: "Biscuit" })).toBeVisible();

    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Your email is already confirmed",
    );
    await expect(page.getByRole("main").getByRole("link", { name: "Log in" })).toBeVisible();
  },
);

test(
  "expired and tampered links say so kindly and send a new one that works",
  stories,
  async ({ page }) => {
    const email = newEmail("expired");
    await submitSignUp(page, email);

    await page.goto(await oldLink(page, email, "verify", THREE_DAYS_AND_MORE));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
    await expect(page.getByText("Confirmation links work for 3 days")).toBeVisible();
    const fresh = await mailAfter(email, async () => {
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send me a new link" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
    });

    await page.goto(tampered(linkIn(fresh, "verify")));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
    await expect(page.getByRole("button", { name: "Send me a new link" })).toBeVisible();
    await page.goto("/verify/not-a-user/not-a-token");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work");

    await confirmWith(page, linkIn(fresh, "verify"));

    await page.goto(await oldLink(page, email, "reset", THREE_DAYS_AND_MORE));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
    await expect(page.getByRole("button", { name: "Email me a new link" })).toBeVisible();
  },
);

test(
  "an unconfirmed account drafts but cannot publish until it confirms; it can have the link again",
  stories,
  async ({ page }) => {
    await putDrafts(page.request, [draft("Juniper")]);
    const email = newEmail("unconfirmed");
    await submitSignUp(page, email);
    await logIn(page, email);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("Your email is not confirmed yet")).toBeVisible();

    await page.getByRole("link", { name: "Juniper" }).click();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "confirm" })).toHaveText(
      `Please confirm your email address before publishing: follow the link we sent to ${email}.`,
    );
    await expect(page.getByText("Private: only you can see it.")).toBeVisible();

    const again = await mailAfter(email, () =>
      page.getByRole("button", { name: "Send the link again" }).click(),
    );
    await expect(page.getByRole("status")).toHaveText(`A new link is on its way to ${email}.`);
    const memorial = new URL(page.url()).pathname;
    await confirmWith(page, linkIn(again, "verify"));

    await page.goto(memorial);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByRole("link", { name: /^\/m\/juniper-/ })).toBeVisible();
    await expect(page.getByRole("button", { name: "Send the link again" })).toHaveCount(0);
  },
);

test(
  "a password reset works once and logs out the other browser",
  stories,
  async ({ page, browser, baseURL }) => {
    const email = await existingAccount(page, "reset");
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await logIn(otherPage, email);
    await expect(otherPage).toHaveURL(/\/account$/);

    // An address without an account gets the same page, and no email.
    const nobody = newEmail("nobody");
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgotten your password?" }).click();
    // A client-side navigation: until the new page is in, "Email" is still the login form's field.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forgotten your password?");
    await page.getByLabel("Email").fill(nobody);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
    const answer = await page.locator("main").innerText();

    const sent = await mailAfter(email, async () => {
      await page.goto("/password-reset");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
    });
    expect(await page.locator("main").innerText()).toBe(answer);
    expect(await allMailTo(nobody)).toEqual([]);
    expect(sent.subject).toBe("Choose a new password for Evermore");

    const link = linkIn(sent, "reset");
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Save my new password" }).click();
    await expect(formError(page)).toHaveText("Please choose a password of 10 to 200 characters.");
    // The keyboard alone sends the form.
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByLabel("New password").press("Enter");
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await expect(page.getByRole("status")).toContainText("every device is logged out");

    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/login$/);
    await other.close();

    await logIn(page, email, PASSWORD);
    await expect(formError(page)).toHaveText("That email and password do not match an account.");
    await logIn(page, email, NEW_PASSWORD);
    await expect(page).toHaveURL(/\/account$/);

    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
    await expect(page.getByRole("button", { name: "Email me a new link" })).toBeVisible();
  },
);

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("confirming and resetting a password work as plain forms", stories, async ({ page }) => {
    const email = newEmail("nojs-email");
    const sent = await mailAfter(email, () => submitSignUp(page, email));
    await confirmWith(page, linkIn(sent, "verify"));
    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

    const reset = await mailAfter(email, async () => {
      await page.goto("/password-reset");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
    });
    await page.goto(linkIn(reset, "reset"));
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Save my new password" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await logIn(page, email, NEW_PASSWORD);
    await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
    expect(await mailNumber(email, 2)).toMatchObject({ subject: reset.subject });
  });
});

import { freePort } from "../../test/harness/processes";
import { newEmail, PASSWORD } from "../fixtures/accounts";
import { allMailTo } from "../fixtures/mail";
import type { AppServer } from "./session/app-server";
import { startAppServer } from "./session/app-server";
import { expect, test } from "./session/fixtures";

/**
 * The site with its SMTP server down (nothing listens on EMAIL_PORT): every
 * form that sends email says so plainly, and nothing is left behind.
 */
const MAIL_DOWN =
  "We could not send the email just now, so nothing was changed. Please try again in a few minutes.";

test.describe("the mail server down", () => {
  let server: AppServer;

  test.beforeAll(async ({ services }) => {
    test.setTimeout(60_000);
    const closed = String(await freePort());
    server = await startAppServer({ EMAIL_PORT: closed }, services.templateDatabase);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("sign-up and a reset request say so in the page, in Chromium, and send nothing", async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const page = await context.newPage();
      const email = newEmail("smtp-down");
      await page.goto("/signup");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create my account" }).click();
      await expect(page.locator(".form-error")).toHaveText(MAIL_DOWN);
      await expect(page).toHaveURL(/\/signup$/);

      // No account was kept: no reset link could be made for it either, and none was asked for.
      await page.goto("/password-reset");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await expect(page.locator(".form-error")).toHaveText(MAIL_DOWN);
      expect(await allMailTo(email)).toEqual([]);
      await page.goto("/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.locator(".form-error")).toHaveText(
        "That email and password do not match an account.",
      );
      expect(server.output()).toContain("evermore: an account email was not sent: mail: the SMTP");
      expect(server.output()).not.toContain(email);
    } finally {
      await context.close();
    }
  });
});

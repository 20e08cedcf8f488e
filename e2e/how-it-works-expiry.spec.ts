import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { expiryOffers } from "../lib/how-it-works/expiry-choice";
import { COOKIE_AGE, cookieLifetime, sessionCookie, stories } from "./support/session-cookie";

/**
 * "How long we remember": each `setExpiry` choice, what the session says,
 * and the cookie the browser really holds afterwards.
 */
async function chooseLifetime(
  page: Page,
  label: RegExp,
  until?: string,
  { handMade = false } = {},
) {
  await page.goto("/how-it-works/expiry");
  // A hand-made post is not held back by the date field's min and max, as the browser's form is.
  if (handMade)
    await page.locator("form:has([name=lifetime])").evaluate((form) => {
      (form as HTMLFormElement).noValidate = true;
    });
  await page.getByLabel(label).check();
  if (until) await page.getByLabel("The last day to remember me").fill(until);
  await page.getByRole("button", { name: "Remember me this way" }).click();
}

test.describe("expiry", () => {
  test(
    "an hour of inactivity: Max-Age=3600, in the session and in the browser",
    stories,
    async ({ page, context }) => {
      await chooseLifetime(page, /One hour after my last visit/);
      await expect(page.getByTestId("expiry-age")).toHaveText(/^3600 seconds \(1 hour\)/);
      await expect(page.getByTestId("browser-close")).toHaveText("false");
      await expect(page.getByTestId("sent-cookie")).toContainText("Max-Age=3600");
      expect(await cookieLifetime(context)).toBeGreaterThan(3600 - 60);
      expect(await cookieLifetime(context)).toBeLessThanOrEqual(3600);
      await expect(page.getByTestId("sent-back")).toContainText("sent it back");
      await expect(page.getByTestId("js-cookie-view")).toContainText("it is HttpOnly");
    },
  );

  test(
    "each visit through “I'm still here” slides the hour forward",
    stories,
    async ({ page, context }) => {
      await chooseLifetime(page, /One hour after my last visit/);
      const savedAt = await page.locator("time").getAttribute("datetime");
      const before = (await sessionCookie(context))!.expires;
      await page.waitForTimeout(2100);
      await page.getByRole("link", { name: "I'm still here" }).click();
      await expect(page.locator("time")).not.toHaveAttribute("datetime", savedAt!);
      expect((await sessionCookie(context))!.expires).toBeGreaterThanOrEqual(before + 2);
    },
  );

  test("“I'm still here” gives no session to a visitor who has none", async ({ page, context }) => {
    await page.goto("/how-it-works/expiry/visit");
    await expect(page).toHaveURL(/\/how-it-works\/expiry$/);
    await expect(page.getByTestId("sent-back")).toHaveText(/sent no session cookie/);
    expect(await sessionCookie(context)).toBeUndefined();
  });

  test(
    "until the browser closes: no Max-Age, a browser-session cookie",
    stories,
    async ({ page, context }) => {
      await chooseLifetime(page, /Until I close the browser/);
      await expect(page.getByTestId("browser-close")).toHaveText("true");
      await expect(page.getByTestId("sent-cookie")).not.toContainText("Max-Age");
      await expect(page.getByText("a browser-session cookie")).toBeVisible();
      expect(await cookieLifetime(context)).toBe(-1);
    },
  );

  test("until a chosen day: the cookie ends with that day", stories, async ({ page, context }) => {
    const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await chooseLifetime(page, /Until the end of a day I choose/, day);
    await expect(page.getByTestId("expiry-date")).toHaveText(`${day}T23:59:59.000Z`);
    const expires = (await sessionCookie(context))!.expires;
    expect(Math.abs(expires - Date.parse(`${day}T23:59:59Z`) / 1000)).toBeLessThan(60);
  });

  test(
    "the default: SESSION_COOKIE_AGE, from the site's settings",
    stories,
    async ({ page, context }) => {
      await chooseLifetime(page, /One hour after my last visit/);
      await chooseLifetime(page, /The site's usual/);
      await expect(page.getByTestId("sent-cookie")).toContainText(`Max-Age=${COOKIE_AGE}`);
      expect(await cookieLifetime(context)).toBeGreaterThan(COOKIE_AGE - 60);
    },
  );

  test("the date field offers no day past SESSION_COOKIE_AGE", stories, async ({ page }) => {
    await page.goto("/how-it-works/expiry");
    const { today, latestDay } = expiryOffers(COOKIE_AGE);
    const field = page.getByLabel("The last day to remember me");
    await expect(field).toHaveAttribute("min", today);
    await expect(field).toHaveAttribute("max", latestDay!);
    await expect(page.locator("#until-hint")).toContainText(`no later than ${latestDay}`);
  });

  test(
    "a hand-made post of a day that has passed or lies past SESSION_COOKIE_AGE is refused, and nothing is saved",
    stories,
    async ({ page, context }) => {
      const handMade = { handMade: true };
      await chooseLifetime(page, /Until the end of a day I choose/, "2020-01-01", handMade);
      await expect(page.getByRole("alert").filter({ hasText: "already passed" })).toBeVisible();
      const { latestDay } = expiryOffers(COOKIE_AGE);
      const dayAfter = new Date(Date.parse(`${latestDay}T12:00:00Z`) + 86_400_000);
      await chooseLifetime(
        page,
        /Until the end of a day I choose/,
        dayAfter.toISOString().slice(0, 10),
        handMade,
      );
      await expect(
        page.getByRole("alert").filter({ hasText: `Please choose a day up to ${latestDay}` }),
      ).toBeVisible();
      await chooseLifetime(page, /Until the end of a day I choose/, "2099-01-01", handMade);
      await expect(page.getByRole("alert").filter({ hasText: "at most" })).toBeVisible();
      expect(await sessionCookie(context)).toBeUndefined();
    },
  );
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the expiry form works with a plain form post", stories, async ({ page, context }) => {
    await chooseLifetime(page, /Until I close the browser/);
    await expect(page.getByTestId("browser-close")).toHaveText("true");
    expect(await cookieLifetime(context)).toBe(-1);
    await expect(page.getByText("This part needs JavaScript")).toBeVisible();
  });
});

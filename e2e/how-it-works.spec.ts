import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "@playwright/test";

/**
 * "How this site remembers you": every demonstration, in a real browser,
 * with whichever SESSION_ENGINE the server runs (the runner repeats these
 * stories with cache and cached_db).
 */
const stories = { tag: "@stories" };
const COOKIE = process.env.SESSION_COOKIE_NAME || "sessionid";
const COOKIE_ENGINES = ["signed_cookies", "encrypted_cookies"];
const engine = process.env.SESSION_ENGINE || "db";
const COOKIE_AGE = Number(process.env.SESSION_COOKIE_AGE || 1_209_600);

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === COOKIE);
}

/** Seconds from now until the cookie's Expires, or -1 for a browser-session cookie. */
async function cookieLifetime(context: BrowserContext) {
  const cookie = await sessionCookie(context);
  expect(cookie, "the browser holds a session cookie").toBeDefined();
  return cookie!.expires === -1 ? -1 : cookie!.expires - Date.now() / 1000;
}

async function chooseLifetime(page: Page, label: RegExp, until?: string) {
  await page.goto("/how-it-works/expiry");
  await page.getByLabel(label).check();
  if (until) await page.getByLabel("The last day to remember me").fill(until);
  await page.getByRole("button", { name: "Remember me this way" }).click();
}

test.describe("the test cookie", () => {
  test(
    "a browser that keeps cookies passes, and the test value is tidied away",
    stories,
    async ({ page, context }) => {
      await page.goto("/");
      await page.getByRole("link", { name: "How this site remembers you" }).first().click();
      await page.getByRole("link", { name: "Can your browser keep a cookie?" }).click();
      await page.getByRole("button", { name: "Give my browser a test cookie" }).click();
      await expect(page.getByRole("heading", { name: "Step 2: did it come back?" })).toBeVisible();
      expect(await sessionCookie(context)).toBeDefined();
      await page.getByRole("button", { name: "Check for the cookie" }).click();
      await expect(page.getByRole("status")).toContainText("It worked.");
      // As in Django, the session keeps its key; only the test value is gone.
      expect(await sessionCookie(context)).toBeDefined();
      await page.goto("/how-it-works/inspector");
      await expect(page.getByTestId("session-data")).toHaveText("{}");
    },
  );

  test(
    "a browser that drops cookies is told that cookies are needed",
    stories,
    async ({ page, context }) => {
      await page.goto("/how-it-works/test-cookie");
      await page.getByRole("button", { name: "Give my browser a test cookie" }).click();
      await expect(page.getByRole("button", { name: "Check for the cookie" })).toBeVisible();
      await context.clearCookies();
      await page.getByRole("button", { name: "Check for the cookie" }).click();
      await expect(
        page.getByRole("alert").filter({ hasText: "did not send the cookie back" }),
      ).toBeVisible();
      await expect(page.getByRole("alert").filter({ hasText: "needs cookies" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
    },
  );
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the test cookie works with plain form posts", stories, async ({ page }) => {
    await page.goto("/how-it-works/test-cookie");
    await page.getByRole("button", { name: "Give my browser a test cookie" }).click();
    await page.getByRole("button", { name: "Check for the cookie" }).click();
    await expect(page.getByRole("status")).toContainText("It worked.");
  });

  test("the expiry form works with a plain form post", stories, async ({ page, context }) => {
    await chooseLifetime(page, /Until I close the browser/);
    await expect(page.getByTestId("browser-close")).toHaveText("true");
    expect(await cookieLifetime(context)).toBe(-1);
    await expect(page.getByText("This part needs JavaScript")).toBeVisible();
  });
});

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

  test(
    "a day that has passed or is too far ahead is refused, and nothing is saved",
    stories,
    async ({ page, context }) => {
      await chooseLifetime(page, /Until the end of a day I choose/, "2020-01-01");
      await expect(page.getByRole("alert").filter({ hasText: "already passed" })).toBeVisible();
      await chooseLifetime(page, /Until the end of a day I choose/, "2099-01-01");
      await expect(page.getByRole("alert").filter({ hasText: "within 400 days" })).toBeVisible();
      expect(await sessionCookie(context)).toBeUndefined();
    },
  );
});

test.describe("logout and the inspector", () => {
  test(
    "flush clears the data and the cookie, and the old key opens nothing",
    stories,
    async ({ page, context }) => {
      await page.goto("/how-it-works/logout");
      await page.getByRole("button", { name: "Put something in my session" }).click();
      await expect(page.getByTestId("current-data")).toContainText("the beach at dusk");
      const oldCookie = (await sessionCookie(context))!;
      const maskedBefore = await page.getByTestId("current-key").textContent();

      await page.getByRole("button", { name: "Log out (flush my session)" }).click();
      await expect(page.getByRole("heading", { name: "You are logged out" })).toBeVisible();
      await expect(page.getByTestId("old-key")).toHaveText(maskedBefore!);
      await expect(page.getByTestId("current-data")).toHaveText("{}");
      await expect(page.getByTestId("current-cookie")).toHaveText("your browser sent none");
      expect(await sessionCookie(context)).toBeUndefined();
      expect(await page.content()).not.toContain(oldCookie.value);

      // Replaying the old cookie: a server-side store has nothing under it any more.
      const cookieEngine = COOKIE_ENGINES.includes(engine);
      await expect(page.getByTestId("verdict")).toContainText(
        cookieEngine ? "still opens" : "The old key is dead",
      );
      await context.addCookies([oldCookie]);
      await page.goto("/how-it-works/inspector");
      await expect(page.getByTestId("session-data")).toHaveText(
        cookieEngine ? /beach at dusk/ : "{}",
      );
    },
  );

  test("a changed logout result is not believed", stories, async ({ page }) => {
    await page.goto("/how-it-works/logout?proof=eyJvbGRLZXkiOiJ4In0:1abc:forged");
    await expect(
      page.getByRole("alert").filter({ hasText: "could not check that result" }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "You are logged out" })).toHaveCount(0);
  });

  test(
    "the inspector shows the engine, a masked key, the data and the flags",
    stories,
    async ({ page, context }) => {
      await page.goto("/how-it-works/logout");
      await page.getByRole("button", { name: "Put something in my session" }).click();
      await expect(page.getByTestId("current-data")).toContainText("Biscuit");
      await page.goto("/how-it-works/inspector");
      await expect(page.getByTestId("engine")).toHaveText(engine);
      await expect(page.getByTestId("session-key")).toHaveText(/^\S{4}…\S{4}$/);
      await expect(page.getByTestId("session-data")).toContainText('"demo.petName": "Biscuit"');
      await expect(page.getByTestId("flags-after")).toHaveText("accessed=true, modified=false");
      await expect(page.getByTestId("inspector-browser-close")).toHaveText("false");
      expect(await page.content()).not.toContain((await sessionCookie(context))!.value);
    },
  );
});

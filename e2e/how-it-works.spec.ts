import { expect, test } from "@playwright/test";
import { COOKIE_ENGINES, ENGINE, sessionCookie, stories } from "./support/session-cookie";

/**
 * "How this site remembers you": the test cookie, logout and the inspector,
 * in a real browser, with whichever SESSION_ENGINE the server runs (the
 * runner repeats these stories with cache and cached_db). The expiry demo
 * has its own file.
 */
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

  test(
    "blocked cookies get the explanation with plain form posts too",
    stories,
    async ({ page, context }) => {
      await page.goto("/how-it-works/test-cookie");
      await page.getByRole("button", { name: "Give my browser a test cookie" }).click();
      await context.clearCookies();
      await page.getByRole("button", { name: "Check for the cookie" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "needs cookies" })).toBeVisible();
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
      const cookieEngine = COOKIE_ENGINES.includes(ENGINE);
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
      await expect(page.getByTestId("engine")).toHaveText(ENGINE);
      await expect(page.getByTestId("session-key")).toHaveText(/^\S{4}…\S{4}$/);
      await expect(page.getByTestId("session-data")).toContainText('"demo.petName": "Biscuit"');
      await expect(page.getByTestId("flags-after")).toHaveText("accessed=true, modified=false");
      await expect(page.getByTestId("inspector-browser-close")).toHaveText("false");
      expect(await page.content()).not.toContain((await sessionCookie(context))!.value);
    },
  );
});

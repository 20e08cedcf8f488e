import type { Page, Response } from "@playwright/test";
import { ENGINES, expect, serverFor, test } from "./fixtures";
import { parseSetCookie } from "./set-cookie";

/**
 * Server Actions and Server Components in Chromium, on
 * app/testing/session/page.tsx: `countVisit` writes and redirects,
 * `countThenFail` writes and throws, `?write=1` writes during the render.
 */

/** The session cookies a response sets, from its raw headers. */
async function sessionCookies(response: Response) {
  return (await response.headersArray())
    .filter(({ name }) => name.toLowerCase() === "set-cookie")
    .map(({ value }) => parseSetCookie(value))
    .filter((cookie) => cookie.name === "sessionid");
}

/** Clicks a form's button and returns the Server Action's response. */
async function submit(page: Page, button: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button }).click(),
  ]);
  return response;
}

const visits = (page: Page) => page.locator("#visits");

for (const engine of ENGINES) {
  test.describe(`Server Actions and Components with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {});
    const sessionPage = () => `${server().url}/testing/session`;

    test("a redirecting action commits the session and sets the cookie", async ({ page }) => {
      await page.goto(sessionPage());
      await expect(visits(page)).toHaveText("none");
      const response = await submit(page, "Count a visit");
      expect(await sessionCookies(response)).toHaveLength(1);
      expect(await response.headerValue("cache-control")).toMatch(/\b(private|no-store)\b/);
      await expect(visits(page)).toHaveText("1");
      await submit(page, "Count a visit");
      await expect(visits(page)).toHaveText("2");
      // Saved, not only shown: a fresh load reads it back.
      await page.goto(sessionPage());
      await expect(visits(page)).toHaveText("2");
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: "sessionid", httpOnly: true, sameSite: "Lax" });
    });

    test("a failing action saves nothing and sets no cookie", async ({ page }) => {
      await page.goto(sessionPage());
      await submit(page, "Count a visit");
      await expect(visits(page)).toHaveText("1");
      const cookieBefore = (await page.context().cookies())[0]?.value;
      const response = await submit(page, "Count, then fail");
      expect(response.status()).toBe(500);
      expect(await sessionCookies(response)).toEqual([]);
      expect((await page.context().cookies())[0]?.value).toBe(cookieBefore);
      await page.goto(sessionPage());
      await expect(visits(page)).toHaveText("1");
    });

    // Another request cuts the action short; a cookie engine has no record to delete or merge.
    for (const story of [
      {
        name: "a session logged out while the action ran: a 400 page, nothing saved, nothing revived",
        button: "Count while another tab logs out",
        heading: "Your session ended while this request was running",
        visitsAfter: "none",
      },
      {
        name: "a change that no longer fits with another tab's: a 409 page, the other change kept",
        button: "Count while another tab counts the last allowed",
        heading: "Your change crossed with another one",
        visitsAfter: "2",
      },
    ]) {
      test(story.name, async ({ page }) => {
        test.skip(engine.inCookie, "a cookie engine keeps no record another request could change");
        await page.goto(sessionPage());
        await submit(page, "Count a visit");
        await expect(visits(page)).toHaveText("1");
        await page.getByRole("button", { name: story.button }).click();
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(story.heading);
        await expect(page.getByRole("link", { name: "Go back" })).toBeVisible();
        await page.goto(sessionPage());
        await expect(visits(page)).toHaveText(story.visitsAfter);
      });
    }

    test("a write in a Server Component fails with SessionReadOnly, loudly", async ({ page }) => {
      await page.goto(sessionPage());
      await submit(page, "Count a visit");
      await expect(visits(page)).toHaveText("1");
      const response = await page.goto(`${sessionPage()}?write=1`);
      // SessionReadOnly's message (lib/sessions/next/session.ts), which names where writes go.
      await expect(page.locator("#write-error")).toContainText(
        "this session is read-only here: Server Components cannot set cookies",
      );
      await expect(page.locator("#write-error")).toContainText("sessionAction()");
      expect(await sessionCookies(response!)).toEqual([]);
      await page.goto(sessionPage());
      await expect(visits(page)).toHaveText("1");
    });

    test("the action works without JavaScript, through a form post and a redirect", async ({
      browser,
    }) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(sessionPage());
      await page.getByRole("button", { name: "Count a visit" }).click();
      await expect(visits(page)).toHaveText("1");
      await page.getByRole("button", { name: "Count a visit" }).click();
      await expect(visits(page)).toHaveText("2");
      await context.close();
    });
  });
}

test.describe("Server Actions with SESSION_SAVE_EVERY_REQUEST", () => {
  const server = serverFor(
    ENGINES.find((engine) => engine.name === "db")!,
    { SESSION_SAVE_EVERY_REQUEST: "true" },
  );

  test("an action's response carries one session cookie, the action's", async ({ page }) => {
    await page.goto(`${server().url}/testing/session`);
    await submit(page, "Count a visit");
    // The proxy refreshes the page loads; the action's own POST is left to sessionAction.
    const pageLoad = await page.goto(`${server().url}/testing/session`);
    expect(await sessionCookies(pageLoad!)).toHaveLength(1);
    const response = await submit(page, "Count a visit");
    expect(await sessionCookies(response)).toHaveLength(1);
    await expect(visits(page)).toHaveText("2");
  });
});

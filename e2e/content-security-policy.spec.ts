import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { draft, logOut, newEmail, putDrafts, signUp } from "./fixtures/accounts";
import { startStory } from "./support/drafts";

/**
 * Every main page under the site's Content-Security-Policy, in Chromium,
 * with JavaScript on: a page that needed an inline script, an eval or a
 * style the policy does not allow would report a violation here. The pages
 * are used, not only loaded: the stories editor autosaves, a memorial is
 * published and visited, the session is logged out.
 */

/** Every violation the page reports, through the DOM event and the console alike. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation(text: string): void })
        .reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Loads `path` and checks that it came with the policy and that the page's scripts ran. */
async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
  // Hydration done: the client router is up, which needs every nonced script to have run.
  await page.waitForFunction(() => "next" in window, null, { timeout: 15_000 });
}

test.describe.configure({ timeout: 120_000 });

test("every main page runs under the Content-Security-Policy without a violation", async ({
  page,
}) => {
  const violations = await watchViolations(page);

  for (const path of [
    "/",
    "/memorials",
    "/memorials/new",
    "/login",
    "/signup",
    "/how-it-works",
    "/how-it-works/test-cookie",
    "/how-it-works/expiry",
    "/how-it-works/inspector",
    "/how-it-works/logout",
  ])
    await visit(page, path);

  // A draft, and its stories editor autosaving through its script.
  const editor = await startStory(page, "Clementine");
  await visit(page, editor);
  await page.getByLabel("The story").fill("She waited by the door every evening.");
  await expect(page.locator(".save-status")).toHaveText("Saved", { timeout: 20_000 });
  await visit(page, editor.replace(/\/stories\/.*$/, ""));

  // An account, a memorial published from it, and its public page.
  await putDrafts(page.request, [draft("Juniper")]);
  await signUp(page, newEmail("csp"));
  await visit(page, "/account");
  await page.getByRole("link", { name: "Juniper" }).click();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const link = page.getByRole("link", { name: /^\/m\/juniper-/ });
  await expect(link).toBeVisible();
  await visit(page, (await link.getAttribute("href"))!);
  await expect(page.getByRole("heading", { level: 1, name: "Juniper" })).toBeVisible();

  await logOut(page);
  expect(violations).toEqual([]);
});

test("a page refuses to be framed, even by the site itself", async ({ page }) => {
  const violations = await watchViolations(page);
  await visit(page, "/how-it-works");
  await page.setContent(`<iframe src="${new URL("/", page.url())}"></iframe>`);
  await expect.poll(() => violations.join("\n")).toMatch(/frame-ancestors/);
});

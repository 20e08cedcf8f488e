import { expect, test } from "@playwright/test";

test.describe("a visitor's name", { tag: "@stories" }, () => {
  test("a first visit asks nothing and sets no cookie", async ({ page, context }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Start a memorial" })).toBeVisible();
    await expect(page.getByText(/Hello,|Welcome back/)).toHaveCount(0);
    expect(await context.cookies()).toEqual([]);
  });

  test("a visitor who gives their name is greeted on every page, even after closing the browser", async ({
    browser,
    page,
    context,
  }) => {
    await page.goto("/");
    await page.getByLabel("What should we call you?").fill("Ada");
    await page.getByRole("button", { name: "Remember me" }).click();
    await expect(page.getByText("Welcome back, Ada.")).toBeVisible();
    await expect(page.getByRole("banner")).toContainText("Hello, Ada");

    const state = await context.storageState();
    await context.close();
    const reopened = await browser.newContext({ storageState: state });
    const again = await reopened.newPage();
    for (const path of ["/", "/memorials", "/memorials/new"]) {
      await again.goto(path);
      await expect(again.getByRole("banner")).toContainText("Hello, Ada");
    }
    await reopened.close();
  });

  test("a visitor can change their name, or clear it", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("What should we call you?").fill("Ada");
    await page.getByRole("button", { name: "Remember me" }).click();
    await page.getByLabel("Not quite right? Change your name").fill("Grace");
    await page.getByRole("button", { name: "Update" }).click();
    await expect(page.getByRole("banner")).toContainText("Hello, Grace");
    await page.getByLabel("Not quite right? Change your name").fill("");
    await page.getByRole("button", { name: "Update" }).click();
    await expect(page.getByLabel("What should we call you?")).toBeVisible();
    await expect(page.getByRole("banner")).not.toContainText("Hello,");
  });
});

import { expect, test } from "@playwright/test";

test("the home page welcomes a visitor", { tag: "@stories" }, async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Evermore/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Every paw print stays with us.",
  );
  await expect(page.getByRole("link", { name: "Evermore" })).toBeVisible();
});

test("the home page loads nothing from other hosts", async ({ page, baseURL }) => {
  const foreign: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !request.url().startsWith("data:")) {
      foreign.push(request.url());
    }
  });
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  expect(foreign).toEqual([]);
});

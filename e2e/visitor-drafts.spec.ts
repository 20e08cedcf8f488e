import { expect, test } from "@playwright/test";
import { startMemorial } from "./support/drafts";

test.describe("draft memorials", { tag: "@stories" }, () => {
  // Each story goes through several real form posts on a production build.
  test.describe.configure({ timeout: 60_000 });

  test("a draft that is not there says so kindly, with the way back to the visitor's memorials", async ({
    page,
  }) => {
    const path = await startMemorial(page, "Juniper", "cat");
    const response = await page.goto(`${path}x`);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We could not find that page." })).toBeVisible();
    await page.getByRole("link", { name: "Your memorials" }).last().click();
    await expect(page).toHaveURL(/\/memorials$/);
    await expect(page.getByRole("link", { name: "Juniper" })).toBeVisible();
  });

  test("a draft is there, as it was, when the visitor comes back in a new browser session", async ({
    browser,
    page,
    context,
  }) => {
    const path = await startMemorial(page, "Biscuit", "dog");
    await page.getByLabel("Born").fill("2011-05");
    await page.getByLabel("Passed away").fill("2024");
    await page.getByLabel("A few words to remember them by").fill("Always by the door.");
    await page.getByRole("button", { name: "Save details" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved.");

    const state = await context.storageState();
    await context.close();
    const reopened = await browser.newContext({ storageState: state });
    const again = await reopened.newPage();
    await again.goto("/memorials");
    await expect(again.getByRole("listitem")).toContainText(["Biscuit"]);
    await again.getByRole("link", { name: "Biscuit" }).click();
    await expect(again).toHaveURL(path);
    await expect(again.getByLabel("Species")).toHaveValue("dog");
    await expect(again.getByLabel("Born")).toHaveValue("2011-05");
    await expect(again.getByLabel("Passed away")).toHaveValue("2024");
    await expect(again.getByLabel("A few words to remember them by")).toHaveValue(
      "Always by the door.",
    );
    await reopened.close();
  });

  test("details that make no sense get a clear message and change nothing", async ({ page }) => {
    await startMemorial(page, "Pepper");
    await page.getByLabel("Born").fill("2020");
    await page.getByLabel("Passed away").fill("2015");
    await page.getByRole("button", { name: "Save details" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "The date they passed away comes before the date they were born.",
    );
    await expect(page.getByLabel("Born")).toHaveValue("");
  });

  test("the fourth draft is refused with a message, and none is dropped", async ({ page }) => {
    test.setTimeout(60_000); // three drafts through the real forms (LIMITS.drafts)
    for (let i = 1; i <= 3; i++) await startMemorial(page, `Pet ${i}`);
    await page.goto("/memorials");
    await expect(page.getByText("You have 3 memorials in progress")).toBeVisible();
    await page.goto("/memorials/new");
    await page.getByLabel("Their name").fill("Pet 4");
    await page.getByRole("button", { name: "Start the memorial" }).click();
    await expect(page.getByRole("status")).toContainText(
      "You already have 3 memorials in progress",
    );
    await expect(page.locator(".draft-list > li")).toHaveCount(3);
  });

  test("a deleted draft is gone; unknown addresses are a 404, never an error", async ({ page }) => {
    const path = await startMemorial(page, "Juniper");
    await page.getByRole("button", { name: "Delete the memorial for Juniper" }).click();
    await expect(page.getByRole("status")).toHaveText("The memorial for Juniper was deleted.");
    for (const url of [
      path,
      "/memorials/not-a-draft",
      "/memorials/%00/stories/x",
      `${path}/stories/nope`,
    ]) {
      expect((await page.request.get(url)).status(), url).toBe(404);
    }
  });
});

test.describe("without JavaScript", { tag: "@stories" }, () => {
  test.use({ javaScriptEnabled: false });

  test("a visitor can give their name and start a memorial with plain forms", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("What should we call you?").fill("Ada");
    await page.getByRole("button", { name: "Remember me" }).click();
    await expect(page.getByRole("banner")).toContainText("Hello, Ada");
    await startMemorial(page, "Biscuit", "dog");
    await page.goto("/memorials");
    await expect(page.getByRole("link", { name: "Biscuit" })).toBeVisible();
  });
});

import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { newEmail, signUp } from "./fixtures/accounts";
import { startMemorial } from "./support/drafts";

/**
 * The pictures in docs/screenshots/, taken of the real site at the phone
 * and desktop sizes of the Playwright projects. Skipped unless
 * SCREENSHOTS=1: `npm test -- --only e2e -- e2e/screenshots.spec.ts` with
 * SCREENSHOTS=1 in the environment rewrites them.
 */
const OUT = path.join(import.meta.dirname, "../docs/screenshots");

test.skip(process.env.SCREENSHOTS !== "1", "only when asked for (SCREENSHOTS=1)");

test("the main pages, as a visitor meets them", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  fs.mkdirSync(OUT, { recursive: true });
  const shoot = async (name: string) => {
    await page.waitForLoadState("networkidle");
    // At CSS pixels: a phone's device pixel ratio would triple the files for no gain in a README.
    const file = path.join(OUT, `${name}-${testInfo.project.name}.png`);
    await page.screenshot({ path: file, scale: "css" });
  };

  await page.goto("/");
  await shoot("home");

  await page.getByLabel("What should we call you?").fill("Ada");
  await page.getByRole("button", { name: "Remember me" }).click();
  await expect(page.getByText("Hello, Ada")).toBeVisible();
  const draft = await startMemorial(page, "Biscuit", "Dog");
  const photo = await sharp({
    create: { width: 800, height: 600, channels: 3, background: "#c8905a" },
  })
    .jpeg()
    .toBuffer();
  await page
    .getByLabel("Add photos")
    .setInputFiles({ name: "biscuit.jpg", mimeType: "image/jpeg", buffer: photo });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("status")).toHaveText("1 photo added.");
  await page.goto(draft);
  await shoot("draft");

  await page.goto("/memorials");
  await shoot("drafts");

  await page.goto("/how-it-works");
  await shoot("how-it-works");
  await page.goto("/how-it-works/inspector");
  await shoot("inspector");

  // Signing up carries the draft into the account.
  await signUp(page, newEmail("screenshots"));
  await shoot("account");
});

import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { draft, logIn, newEmail, putDrafts, signUp, submitSignUp } from "./fixtures/accounts";
import { linkIn, mailAfter } from "./fixtures/mail";
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

test("the email pages, at phone and desktop sizes", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "both sizes are taken in one run");
  test.setTimeout(120_000);
  fs.mkdirSync(OUT, { recursive: true });
  const sizes = { phone: { width: 412, height: 915 }, desktop: { width: 1280, height: 720 } };
  const shoot = async (name: string) => {
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: path.join(OUT, `${name}-${size}.png`), scale: "css" });
    }
  };

  await putDrafts(page.request, [draft("Biscuit")]);
  const email = newEmail("screens");
  const sent = await mailAfter(email, () => submitSignUp(page, email));
  await shoot("signup-sent");
  await logIn(page, email);
  await page.getByRole("link", { name: "Biscuit" }).click();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("button", { name: "Send the link again" })).toBeVisible();
  await shoot("publish-unconfirmed");
  await page.goto(linkIn(sent, "verify"));
  await shoot("verify");
  await page.goto(`${linkIn(sent, "verify")}x`);
  await shoot("link-broken");
  await page.goto("/password-reset");
  await shoot("password-reset");
  const reset = await mailAfter(email, async () => {
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
  });
  await page.goto(linkIn(reset, "reset"));
  await shoot("reset");
});

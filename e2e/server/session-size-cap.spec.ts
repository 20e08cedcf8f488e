import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { freePort, waitForPort } from "../../test/harness/processes";
import { startStory } from "../support/drafts";

/**
 * The production build again, on the db engine with SESSION_MAX_SIZE set low
 * (8 KiB, where the default is 256 KiB): a change that would take the
 * session past the cap is refused where the visitor was, with a message that
 * says what to do, and the stored session stays as it was, on the form post,
 * the autosave and the photo upload alike.
 */
const CAP = 8192;
let server: ChildProcess;
let baseURL: string;
let uploads: string;

test.beforeAll(async () => {
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-size-cap-uploads-"));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      env: {
        ...process.env,
        SESSION_ENGINE: "db",
        SESSION_MAX_SIZE: String(CAP),
        UPLOADS_DIR: uploads,
      },
      stdio: "ignore",
    },
  );
  await waitForPort(port, server, { timeoutMs: 30_000, name: "next start (SESSION_MAX_SIZE)" });
});

test.afterAll(() => {
  server?.kill("SIGTERM");
  fs.rmSync(uploads, { recursive: true, force: true });
});

/** Within a story's own limit (12,000 bytes), beyond what an 8 KiB session holds. */
const tooLong = "a".repeat(9000);
const TOO_LARGE = /did not fit: the session that keeps your drafts has a size limit/;

function open(browser: Browser, javaScriptEnabled: boolean) {
  return browser.newContext({ baseURL, javaScriptEnabled });
}

test("without JavaScript, a story that would pass the cap is refused, and the draft is kept as it was", async ({
  browser,
}) => {
  const context = await open(browser, false);
  const page = await context.newPage();
  const story = await startStory(page, "Biscuit");
  await page.getByLabel("The story").fill("A short story fits.");
  await page.getByRole("button", { name: "Save story" }).click();
  await expect(page.getByText("Your story is saved.")).toBeVisible();

  await page.getByLabel("The story").fill(tooLong);
  await page.getByRole("button", { name: "Save story" }).click();
  await expect(page.getByRole("alert")).toHaveText(TOO_LARGE);
  expect(new URL(page.url()).pathname).toBe(story);
  await page.goto(story);
  await expect(page.getByLabel("The story")).toHaveValue("A short story fits.");
  await context.close();
});

test("the autosave says the same, and the story stays as last saved", async ({ browser }) => {
  const context = await open(browser, true);
  const page = await context.newPage();
  const story = await startStory(page, "Pepper");
  await page.getByLabel("The story").fill(tooLong);
  await expect(page.locator(".save-status")).toHaveText("Not saved", { timeout: 15_000 });
  await expect(page.getByRole("alert").filter({ hasText: TOO_LARGE })).toBeVisible();
  const fresh = await context.newPage();
  await fresh.goto(story);
  await expect(fresh.getByLabel("The story")).toHaveValue("");
  await context.close();
});

test("photos whose references would pass the cap are refused, and their files removed", async ({
  browser,
}) => {
  const context = await open(browser, false);
  const page = await context.newPage();
  const story = await startStory(page, "Mog");
  // About 330 bytes of drafts and notice besides: 7,500 leaves some 360 free; twelve photos need about 900.
  await page.getByLabel("The story").fill("a".repeat(7500));
  await page.getByRole("button", { name: "Save story" }).click();
  await expect(page.getByText("Your story is saved.")).toBeVisible();

  const draft = story.replace(/\/stories\/.*/, "");
  await page.goto(draft);
  const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: "#abc" } })
    .png()
    .toBuffer();
  await page.getByLabel("Add photos").setInputFiles(
    Array.from({ length: 12 }, (_, i) => ({
      name: `${i}.png`,
      mimeType: "image/png",
      buffer: png,
    })),
  );
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert")).toHaveText(TOO_LARGE);
  expect(new URL(page.url()).pathname).toBe(draft);
  await expect(page.getByRole("img")).toHaveCount(0);
  expect(fs.readdirSync(uploads)).toEqual([]);
  await context.close();
});

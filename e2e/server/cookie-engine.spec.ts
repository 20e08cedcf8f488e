import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { freePort, waitForPort } from "../../test/harness/processes";
import { startStory } from "../support/drafts";

/**
 * The production build again, with the session in a signed cookie (about
 * 4 KB at most): a story that does not fit must be refused with a message
 * that says what to do, and nothing saved, on both save paths.
 */
let server: ChildProcess;
let baseURL: string;
let uploads: string;

test.beforeAll(async () => {
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-cookie-uploads-"));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      env: { ...process.env, SESSION_ENGINE: "signed_cookies", UPLOADS_DIR: uploads },
      stdio: "ignore",
    },
  );
  await waitForPort(port, server, { timeoutMs: 30_000, name: "next start (signed_cookies)" });
});

test.afterAll(() => {
  server?.kill("SIGTERM");
  fs.rmSync(uploads, { recursive: true, force: true });
});

/** Random text does not compress, so it really takes its length in the cookie. */
const randomText = (length: number) => randomBytes((length * 3) / 4).toString("base64");
const tooLong = randomText(5300);
const FULL = /did not fit: this site keeps your drafts in a browser cookie/;

function open(browser: Browser, javaScriptEnabled: boolean) {
  return browser.newContext({ baseURL, javaScriptEnabled });
}

test("without JavaScript, a story too big for the cookie is refused, and the draft is kept as it was", async ({
  browser,
}) => {
  const context = await open(browser, false);
  const page = await context.newPage();
  const path = await startStory(page, "Biscuit");
  await page.getByLabel("The story").fill("A short story fits.");
  await page.getByRole("button", { name: "Save story" }).click();
  await expect(page.getByText("Your story is saved.")).toBeVisible();

  await page.getByLabel("The story").fill(tooLong);
  await page.getByRole("button", { name: "Save story" }).click();
  await expect(page.getByRole("alert")).toHaveText(FULL);
  await page.goto(path);
  await expect(page.getByLabel("The story")).toHaveValue("A short story fits.");
  await context.close();
});

test("the autosave says the same, and the story stays as last saved", async ({ browser }) => {
  const context = await open(browser, true);
  const page = await context.newPage();
  const path = await startStory(page, "Pepper");
  await page.getByLabel("The story").fill(tooLong);
  await expect(page.locator(".save-status")).toHaveText("Not saved", { timeout: 15_000 });
  await expect(page.getByRole("alert").filter({ hasText: FULL })).toBeVisible();
  const fresh = await context.newPage();
  await fresh.goto(path);
  await expect(fresh.getByLabel("The story")).toHaveValue("");
  await context.close();
});

test("photos whose references would not fit are refused, and their files removed", async ({
  browser,
}) => {
  const context = await open(browser, false);
  const page = await context.newPage();
  const story = await startStory(page, "Biscuit");
  // Measured: this story leaves the cookie about 190 bytes short of full; twelve photos need about 250.
  await page.getByLabel("The story").fill(randomText(3500));
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
  await expect(page.getByRole("alert")).toHaveText(FULL);
  await expect(page.getByRole("img")).toHaveCount(0);
  expect(fs.readdirSync(uploads)).toEqual([]);
  await context.close();
});

/** The session cookie's `name=value` as the browser sends it, in bytes. */
async function cookieSize(context: BrowserContext): Promise<number> {
  const cookie = (await context.cookies()).find((c) => c.name === "sessionid");
  return cookie ? Buffer.byteLength(`${cookie.name}=${cookie.value}`) : 0;
}

/**
 * Saves a story of random text sized so that the cookie keeps at most
 * `room` bytes free: any demo's change, the smallest being the test cookie's
 * `"testcookie":"worked"`, then cannot fit. A random character of a story
 * takes about one byte of the cookie, so a few corrections get there.
 */
async function fillCookie(page: Page, context: BrowserContext, room: number): Promise<void> {
  await startStory(page, "Biscuit");
  let length = 3000;
  for (let attempt = 0; attempt < 8; attempt++) {
    await page.getByLabel("The story").fill(randomText(length));
    await page.getByRole("button", { name: "Save story" }).click();
    const outcome = page.getByText("Your story is saved.").or(page.getByRole("alert"));
    await expect(outcome).toBeVisible();
    const free = 4096 - (await cookieSize(context));
    if ((await page.getByRole("alert").count()) > 0) {
      length -= 40;
    } else if (free <= room) {
      return;
    } else {
      length += Math.max(4, Math.floor((free - room / 2) / 4) * 4);
    }
  }
  throw new Error(`could not leave the cookie within ${room} bytes of full`);
}

test("the demos' changes that would not fit say so, and the session stays as it was", async ({
  browser,
}) => {
  const context = await open(browser, false);
  const page = await context.newPage();
  await fillCookie(page, context, 12);
  const before = (await context.cookies()).find((c) => c.name === "sessionid")!.value;

  await page.goto("/how-it-works/test-cookie");
  await page.getByRole("button", { name: "Give my browser a test cookie" }).click();
  await expect(page.getByRole("alert")).toHaveText(FULL);

  await page.goto("/how-it-works/logout");
  await page.getByRole("button", { name: "Put something in my session" }).click();
  await expect(page.getByRole("alert")).toHaveText(FULL);
  await expect(page.getByTestId("current-data")).not.toContainText("the beach at dusk");

  await page.goto("/how-it-works/expiry");
  await page.getByLabel("One hour after my last visit").check();
  await page.getByRole("button", { name: "Remember me this way" }).click();
  await expect(page.getByRole("alert")).toHaveText(FULL);

  const after = (await context.cookies()).find((c) => c.name === "sessionid")!.value;
  expect(after).toBe(before);
  await context.close();
});

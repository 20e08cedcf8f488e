import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { startMemorial } from "./support/drafts";

/** A camera-like JPEG with a GPS position in its EXIF. */
function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: "#c8905a" } })
    .jpeg()
    .withExif({
      IFD0: { Make: "Evermore test camera" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "51/1 30/1 0/1",
        GPSLongitudeRef: "W",
        GPSLongitude: "0/1 7/1 0/1",
      },
    })
    .toBuffer();
}

test.describe("photos of a draft", { tag: "@stories" }, () => {
  test("a photo comes back as WebP without its GPS position, and only to its owner", async ({
    browser,
    page,
  }) => {
    await startMemorial(page, "Biscuit");
    const upload = await jpegWithGps();
    // The test must be able to fail: the upload really carries EXIF with a GPS directory.
    expect((await sharp(upload).metadata()).exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    await page
      .getByLabel("Add photos")
      .setInputFiles({ name: "beach.jpg", mimeType: "image/jpeg", buffer: upload });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByRole("status")).toHaveText("1 photo added.");
    const thumb = page.getByRole("img", { name: "A photo of Biscuit" });
    await expect(thumb).toBeVisible();
    const thumbUrl = new URL((await thumb.getAttribute("src"))!, page.url()).toString();
    const fullUrl = thumbUrl.replace("?size=thumb", "");

    for (const url of [fullUrl, thumbUrl]) {
      const response = await page.request.get(url);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toBe("image/webp");
      // Never kept by the browser: after a logout, or on a shared computer, it cannot come back.
      expect(response.headers()["cache-control"]).toBe("no-store");
      const stored = await sharp(await response.body()).metadata();
      expect(stored.format).toBe("webp");
      expect(stored.exif).toBeUndefined();
    }

    const stranger = await browser.newContext();
    expect((await stranger.request.get(fullUrl)).status()).toBe(404);
    expect((await stranger.request.get(thumbUrl)).status()).toBe(404);
    await stranger.close();
  });

  test("a text file named .jpg is refused with a clear message", async ({ page }) => {
    await startMemorial(page, "Pepper");
    await page.getByLabel("Add photos").setInputFiles({
      name: "holiday.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from("this is a shopping list, not a photo"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "“holiday.jpg”: That file is not a photo we can read. Please choose a JPEG, PNG or WebP image.",
    );
    await expect(page.getByRole("img")).toHaveCount(0);
  });

  test("a removed photo can no longer be fetched", async ({ page }) => {
    await startMemorial(page, "Juniper");
    const png = await sharp({
      create: { width: 300, height: 300, channels: 3, background: "#7d8f72" },
    })
      .png()
      .toBuffer();
    await page.getByLabel("Add photos").setInputFiles([
      { name: "one.png", mimeType: "image/png", buffer: png },
      { name: "two.png", mimeType: "image/png", buffer: png },
    ]);
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByRole("status")).toHaveText("2 photos added.");
    const src = await page.getByRole("img").first().getAttribute("src");
    await page.getByRole("button", { name: "Remove" }).first().click();
    await expect(page.getByRole("status")).toHaveText("The photo was removed.");
    await expect(page.getByRole("img")).toHaveCount(1);
    expect((await page.request.get(src!)).status()).toBe(404);
  });
});

/** A photo of noise: it does not compress, so the server takes a while to check and convert it. */
function noisePhoto(width = 1600, height = 1200): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The files in the uploads directory of the server under test (one worker: nobody else adds any). */
function uploadedFiles(): string[] {
  const dir = path.resolve(process.env.UPLOADS_DIR || "test-results/uploads");
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : [];
}

test.describe("photos and edits at the same time", { tag: "@server-side-store" }, () => {
  test.skip(({ isMobile }) => isMobile, "about the server, not the screen: desktop covers it");
  test("photos sent from several tabs at once, and an edit meanwhile, are all kept", async ({
    page,
  }) => {
    const draft = await startMemorial(page, "Biscuit");
    // All four are being stored while the edit below is saved.
    const photo = await noisePhoto();
    const uploads = Array.from({ length: 4 }, (_, i) =>
      page.request.post(`${draft}/photos`, {
        multipart: { photos: { name: `tab${i}.jpg`, mimeType: "image/jpeg", buffer: photo } },
      }),
    );
    await page.getByLabel("A few words to remember them by").fill("Kept while the photos arrived");
    await page.getByRole("button", { name: "Save details" }).click();
    // The server is busy converting four photos: the edit may wait its turn for the CPU.
    await expect(page.getByRole("status")).toHaveText("Saved.", { timeout: 30_000 });
    for (const response of await Promise.all(uploads)) expect(response.ok()).toBe(true);

    await page.reload();
    await expect(page.getByRole("img", { name: "A photo of Biscuit" })).toHaveCount(4);
    await expect(page.getByLabel("A few words to remember them by")).toHaveValue(
      "Kept while the photos arrived",
    );
  });

  test("a draft deleted while its photos upload keeps none of their files", async ({ page }) => {
    const draft = await startMemorial(page, "Juniper");
    const before = new Set(uploadedFiles());
    const photo = await noisePhoto();
    const uploads = Array.from({ length: 3 }, (_, i) =>
      page.request.post(`${draft}/photos`, {
        multipart: { photos: { name: `late${i}.jpg`, mimeType: "image/jpeg", buffer: photo } },
      }),
    );
    await page.getByRole("button", { name: "Delete the memorial for Juniper" }).click();
    await expect(page.getByRole("status")).toHaveText("The memorial for Juniper was deleted.", {
      timeout: 30_000,
    });
    await Promise.all(uploads);
    expect(uploadedFiles().filter((file) => !before.has(file))).toEqual([]);
  });
});

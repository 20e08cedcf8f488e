import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoFile } from "./photo-files";
import { PHOTO_LIMITS, deletePhotoFiles, storePhoto } from "./photo-upload";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-photos-"));
  process.env.UPLOADS_DIR = dir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A camera-like JPEG: 300×200 pixels, stored sideways (orientation 6), with a GPS position. */
function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 3, background: "#c8905a" } })
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
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Whether an EXIF block points to a GPS directory (tag 0x8825, little-endian as sharp writes it). */
function hasGps(exif: Buffer | undefined): boolean {
  return exif !== undefined && exif.includes(Buffer.from([0x25, 0x88]));
}

describe("storePhoto", () => {
  it("stores an upright WebP and a thumbnail with no metadata left, GPS included", async () => {
    const input = await cameraJpeg();
    expect(hasGps((await sharp(input).metadata()).exif)).toBe(true);

    const outcome = await storePhoto(input, "photo-gps-1", "On the beach");
    expect(outcome).toEqual({
      ok: true,
      value: { id: "photo-gps-1", width: 200, height: 300, alt: "On the beach" },
    });
    for (const variant of ["full", "thumb"] as const) {
      const stored = await sharp(photoFile("photo-gps-1", variant)).metadata();
      expect(stored.format).toBe("webp");
      expect(stored.exif).toBeUndefined();
      expect(stored.orientation).toBeUndefined();
      expect(stored.height).toBeGreaterThan(stored.width!);
    }
  });

  it("accepts PNG and WebP, and shrinks the thumbnail to its edge", async () => {
    const big = {
      create: { width: 1200, height: 600, channels: 4 as const, background: "#7d8f72" },
    };
    for (const [id, bytes] of [
      ["photo-png-1", await sharp(big).png().toBuffer()],
      ["photo-webp-1", await sharp(big).webp().toBuffer()],
    ] as const) {
      expect(await storePhoto(bytes, id)).toMatchObject({ ok: true, value: { width: 1200 } });
      expect((await sharp(photoFile(id, "thumb")).metadata()).width).toBe(PHOTO_LIMITS.thumbEdge);
    }
  });

  it("refuses a text file named like a photo, by its content", async () => {
    const outcome = await storePhoto(Buffer.from("just some words, not a picture"), "photo-text-1");
    expect(outcome).toEqual({
      ok: false,
      message: expect.stringContaining("not a photo we can read"),
    });
    expect(fs.existsSync(photoFile("photo-text-1", "full"))).toBe(false);
  });

  it("refuses HEIC with a message that says how to convert it", async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from("ftypheic\0\0\0\0mif1heic"),
    ]);
    expect(await storePhoto(heic, "photo-heic-1")).toEqual({
      ok: false,
      message: expect.stringContaining("export it as JPEG or PNG"),
    });
  });

  it("refuses an empty file, an oversized file and a damaged one, with messages", async () => {
    expect(await storePhoto(new Uint8Array(), "photo-empty")).toMatchObject({
      message: "That file is empty. Please choose a photo.",
    });
    const huge = Buffer.alloc(PHOTO_LIMITS.bytes + 1, 0);
    huge.set([0xff, 0xd8, 0xff]);
    expect(await storePhoto(huge, "photo-huge")).toMatchObject({
      message: expect.stringContaining("the most we take is 10 MB"),
    });
    const truncated = (await cameraJpeg()).subarray(0, 200);
    expect(await storePhoto(truncated, "photo-broken")).toMatchObject({
      message: expect.stringContaining("could not read that photo"),
    });
  });

  it("refuses an image of more than 50 megapixels from its header, naming its size", async () => {
    const bomb = await sharp({
      create: { width: 8200, height: 6200, channels: 3, background: "#000" },
    })
      .png()
      .toBuffer();
    expect(bomb.byteLength).toBeLessThan(PHOTO_LIMITS.bytes);
    expect(await storePhoto(bomb, "photo-bomb")).toMatchObject({
      message: expect.stringContaining(
        "That image is 8200 × 6200 pixels, more than the 50 megapixels",
      ),
    });
    expect(fs.existsSync(photoFile("photo-bomb", "full"))).toBe(false);
  });

  it("accepts a photo from a 48 megapixel phone camera (8064 × 6048)", async () => {
    const phone = await sharp({
      create: { width: 8064, height: 6048, channels: 3, background: "#6a7b8c" },
    })
      .jpeg()
      .toBuffer();
    expect(await storePhoto(phone, "photo-48mp")).toMatchObject({
      ok: true,
      value: { width: PHOTO_LIMITS.edge, height: 1920 },
    });
  });

  it("stores a photo from the file an upload streamed to disk", async () => {
    const file = path.join(dir, "incoming-1.upload.1.tmp");
    fs.writeFileSync(file, await cameraJpeg());
    const incoming = { name: "cat.jpg", path: file, size: fs.statSync(file).size, tooLarge: false };
    expect(await storePhoto(incoming, "photo-file-1")).toMatchObject({
      ok: true,
      value: { width: 200, height: 300 },
    });
    const cut = { ...incoming, size: PHOTO_LIMITS.bytes, tooLarge: true };
    expect(await storePhoto(cut, "photo-file-2")).toMatchObject({
      message: expect.stringContaining("That photo is larger; the most we take is 10 MB"),
    });
  });

  it("deletes both files of a photo, and a second delete is harmless", async () => {
    await storePhoto(await cameraJpeg(), "photo-delete-1");
    await deletePhotoFiles("photo-delete-1");
    expect(fs.existsSync(photoFile("photo-delete-1", "full"))).toBe(false);
    expect(fs.existsSync(photoFile("photo-delete-1", "thumb"))).toBe(false);
    await expect(deletePhotoFiles("photo-delete-1")).resolves.toBeUndefined();
  });
});

import fs from "node:fs/promises";
import type { OutputInfo } from "sharp";
import sharp from "sharp";
import type { PhotoRef } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";
import { photoFile, temporaryFile, uploadsDir } from "./photo-files";
import { photoType } from "./photo-type";

/**
 * Limits for one uploaded photo. Bytes are checked before decoding; pixels
 * are checked by the decoder, so a small file that unpacks into a huge image
 * (a "decompression bomb") is refused before it fills memory.
 */
export const PHOTO_LIMITS = {
  bytes: 10 * 1024 * 1024,
  pixels: 40_000_000,
  /** The long edge of the stored photo: enough for any screen, small on disk. */
  edge: 2560,
  thumbEdge: 480,
} as const;

const MEGABYTE = 1024 * 1024;

/**
 * Turns uploaded bytes into a stored photo: checked by content, turned
 * upright by its EXIF orientation, re-encoded to WebP without any metadata
 * (so no GPS location survives), with a thumbnail; files laid out as
 * `photo-files.ts` says. Returns the reference for the session, or a message
 * when the file is refused. Sharp (libvips) never sees a file we refused.
 */
export async function storePhoto(
  bytes: Uint8Array,
  id: string,
  alt = "",
): Promise<Outcome<PhotoRef>> {
  const checked = checkUpload(bytes);
  if (!checked.ok) return checked;
  let full: { data: Buffer; info: OutputInfo };
  try {
    full = await sharp(bytes, { limitInputPixels: PHOTO_LIMITS.pixels, failOn: "error" })
      .rotate() // applies the EXIF orientation; the re-encode then drops all metadata
      .resize(PHOTO_LIMITS.edge, PHOTO_LIMITS.edge, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    return refused(undecodable(error));
  }
  const thumb = await sharp(full.data)
    .resize(PHOTO_LIMITS.thumbEdge, PHOTO_LIMITS.thumbEdge, {
      fit: "inside",
      withoutEnlargement: true,
    })
    .webp({ quality: 75 })
    .toBuffer();
  await fs.mkdir(uploadsDir(), { recursive: true });
  await writeAtomically(photoFile(id, "full"), full.data);
  await writeAtomically(photoFile(id, "thumb"), thumb);
  return ok({ id, width: full.info.width, height: full.info.height, alt: alt.slice(0, 200) });
}

/** Removes a photo's files; a photo already gone is not an error. */
export async function deletePhotoFiles(id: string): Promise<void> {
  await fs.rm(photoFile(id, "full"), { force: true });
  await fs.rm(photoFile(id, "thumb"), { force: true });
}

function checkUpload(bytes: Uint8Array): Outcome<null> {
  if (bytes.byteLength === 0) return refused("That file is empty. Please choose a photo.");
  if (bytes.byteLength > PHOTO_LIMITS.bytes) {
    const size = (bytes.byteLength / MEGABYTE).toFixed(1);
    return refused(
      `That photo is ${size} MB; the most we take is ${PHOTO_LIMITS.bytes / MEGABYTE} MB. ` +
        "A smaller copy (most phones can share one) will look just as good here.",
    );
  }
  const type = photoType(bytes);
  if (type === "heic") {
    return refused(
      "That photo is in HEIC format, which we cannot read yet. On an iPhone, choose " +
        "Settings → Camera → Formats → Most Compatible, or share the photo as JPEG; " +
        "on a computer, open it and export it as JPEG or PNG.",
    );
  }
  if (type === "unknown") {
    return refused(
      "That file is not a photo we can read. Please choose a JPEG, PNG or WebP image.",
    );
  }
  return ok(null);
}

function undecodable(error: unknown): string {
  if (error instanceof Error && /pixel limit/i.test(error.message)) {
    const megapixels = PHOTO_LIMITS.pixels / 1_000_000;
    return `That image is larger than ${megapixels} megapixels. Please choose a smaller copy.`;
  }
  return "We could not read that photo: it may be damaged or incomplete. Please try another copy.";
}

/** A reader never sees half a file: write beside it, then rename into place. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const temporary = temporaryFile(file);
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
}

import fs from "node:fs/promises";
import type { OutputInfo } from "sharp";
import sharp from "sharp";
import { settings } from "../settings";
import type { PhotoRef } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";
import type { IncomingPhoto } from "./photo-form";
import { photoFile, temporaryFile, uploadsDir } from "./photo-files";
import { photoQueue } from "./photo-queue";
import { photoType } from "./photo-type";

/**
 * Limits for one uploaded photo. Bytes are checked as the file arrives;
 * pixels are read from the image's header before anything is decoded (and
 * the decoder is held to the same cap), so a small file that unpacks into a
 * huge image (a "decompression bomb") is refused at the cost of its header.
 *
 * The pixel cap is 8192 × 6144 (50.3 megapixels), the sizes phone cameras
 * really produce with a little to spare: most phones save 12 MP
 * (4032 × 3024), recent iPhones 24 MP (5712 × 4284), and the 48 and 50 MP
 * modes of the larger sensors 8064 × 6048 and 8160 × 6144. Beyond that are
 * 100 and 200 MP modes, which those phones themselves save binned to 12 MP
 * unless asked, and images made to cost decoding time.
 */
export const PHOTO_LIMITS = {
  bytes: 10 * 1024 * 1024,
  pixels: 8192 * 6144,
  /** The long edge of the stored photo: enough for any screen, small on disk. */
  edge: 2560,
  thumbEdge: 480,
} as const;

const MEGABYTE = 1024 * 1024;

/**
 * Turns an uploaded file (its bytes, or the file `readPhotoForm` wrote) into
 * a stored photo: checked by content, turned upright by its EXIF orientation,
 * re-encoded to WebP without any metadata (so no GPS location survives), with
 * a thumbnail; files laid out as `photo-files.ts` says. Returns the reference
 * for the session, or a message when the file is refused. Sharp (libvips)
 * never decodes a file we refused, and works through the process's
 * `photoQueue`: one photo at a time unless `PHOTO_WORKERS` says more.
 */
export async function storePhoto(
  source: Uint8Array | IncomingPhoto,
  id: string,
  alt = "",
): Promise<Outcome<PhotoRef>> {
  const upload = await uploadOf(source);
  const checked = checkUpload(upload);
  if (!checked.ok) return checked;
  return photoQueue(settings()).run(() => encode(upload.input, id, alt));
}

async function encode(input: Uint8Array | string, id: string, alt: string) {
  const options = { limitInputPixels: PHOTO_LIMITS.pixels, failOn: "error" } as const;
  let full: { data: Buffer; info: OutputInfo };
  try {
    // The header alone: sharp's own cap would refuse before saying how large the image is.
    const { width = 0, height = 0 } = await sharp(input, { limitInputPixels: false }).metadata();
    if (width * height > PHOTO_LIMITS.pixels) return refused(tooManyPixels(width, height));
    full = await sharp(input, options)
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

/** What the checks need of an upload: its size, its first bytes, and what sharp reads. */
interface Upload {
  input: Uint8Array | string;
  size: number;
  tooLarge: boolean;
  head: Uint8Array;
}

async function uploadOf(source: Uint8Array | IncomingPhoto): Promise<Upload> {
  if (source instanceof Uint8Array) {
    const tooLarge = source.byteLength > PHOTO_LIMITS.bytes;
    return { input: source, size: source.byteLength, tooLarge, head: source.subarray(0, 16) };
  }
  const file = await fs.open(source.path);
  try {
    const { buffer, bytesRead } = await file.read(new Uint8Array(16), 0, 16, 0);
    const tooLarge = source.tooLarge || source.size > PHOTO_LIMITS.bytes;
    return { input: source.path, size: source.size, tooLarge, head: buffer.subarray(0, bytesRead) };
  } finally {
    await file.close();
  }
}

function checkUpload({ size, tooLarge, head }: Upload): Outcome<null> {
  if (size === 0) return refused("That file is empty. Please choose a photo.");
  if (tooLarge) {
    // A file cut off as it arrived is known to be larger, not by how much.
    const said = size > PHOTO_LIMITS.bytes ? `${(size / MEGABYTE).toFixed(1)} MB` : "larger";
    return refused(
      `That photo is ${said}; the most we take is ${PHOTO_LIMITS.bytes / MEGABYTE} MB. ` +
        "A smaller copy (most phones can share one) will look just as good here.",
    );
  }
  const type = photoType(head);
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

function tooManyPixels(width: number, height: number): string {
  const megapixels = (PHOTO_LIMITS.pixels / 1_000_000).toFixed(0);
  return (
    `That image is ${width} × ${height} pixels, more than the ${megapixels} megapixels we take. ` +
    "Please choose a smaller copy (most phones can share one)."
  );
}

function undecodable(error: unknown): string {
  // The header said less than the decoder then found: still too many pixels.
  if (error instanceof Error && /pixel limit/i.test(error.message)) {
    const megapixels = (PHOTO_LIMITS.pixels / 1_000_000).toFixed(0);
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

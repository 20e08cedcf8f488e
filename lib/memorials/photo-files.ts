import path from "node:path";

/**
 * Where photos live on disk: outside `public/`, so no photo is ever served
 * except through a route that checks who is asking (the session that owns a
 * draft, or anyone once a memorial is published).
 *
 * Every upload is re-encoded to WebP, which drops EXIF and with it any GPS
 * location, and gets a thumbnail. Both files are named by the photo's id; a
 * photo keeps its id and its files when its draft moves into an account.
 */
export type PhotoVariant = "full" | "thumb";

const PHOTO_ID = /^[A-Za-z0-9_-]{6,32}$/;
/**
 * The names `photoFile` gives, and the leftovers of `temporaryFile` and
 * `incomingFile` (a process that died mid-write): the id is the first group.
 */
const PHOTO_FILE_NAME =
  /^([A-Za-z0-9_-]{6,32})(?:(?:\.thumb)?\.webp(?:\.\d+\.tmp)?|\.upload\.\d+\.tmp)$/;

/** `UPLOADS_DIR`, default `data/uploads` (git-ignored), as an absolute path. */
export function uploadsDir(): string {
  // Not a path to bundle: tell the build not to trace the whole project through it.
  return path.resolve(/*turbopackIgnore: true*/ process.env.UPLOADS_DIR || "data/uploads");
}

export function isPhotoId(id: string): boolean {
  return PHOTO_ID.test(id);
}

/** Where a photo's file is written before it is renamed into place (so no reader sees half of it). */
export function temporaryFile(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/**
 * Where an uploaded file is written as it arrives, before any check: on
 * disk, not in memory, and removed once its photo is stored or refused.
 */
export function incomingFile(id: string): string {
  if (!isPhotoId(id)) throw new Error(`not a photo id: ${JSON.stringify(id.slice(0, 40))}`);
  return path.join(/*turbopackIgnore: true*/ uploadsDir(), `${id}.upload.${process.pid}.tmp`);
}

/**
 * The photo id that a file of `uploadsDir()` belongs to, from the name that
 * `photoFile` or `temporaryFile` gave it; null for any other file.
 */
export function photoIdOfFile(name: string): string | null {
  return PHOTO_FILE_NAME.exec(name)?.[1] ?? null;
}

/** The file of one variant of a photo; throws on an id that could escape the directory. */
export function photoFile(id: string, variant: PhotoVariant): string {
  if (!isPhotoId(id)) throw new Error(`not a photo id: ${JSON.stringify(id.slice(0, 40))}`);
  return path.join(
    /*turbopackIgnore: true*/ uploadsDir(),
    variant === "thumb" ? `${id}.thumb.webp` : `${id}.webp`,
  );
}

import { readFile, stat } from "node:fs/promises";
import { isPhotoId, photoFile } from "./photo-files";

/**
 * How a photo may be kept by caches:
 *
 * - `private`: a draft's photo, or an unpublished memorial's seen by its
 *   owner. `no-store`: nothing keeps it, so after a logout (or on a shared
 *   computer) the browser cannot show it again from its cache.
 * - `published`: a published memorial's, the same for everyone. Browsers
 *   may keep it five minutes (`max-age=300`); shared caches (a CDN, a
 *   proxy) may store it but must ask again on every request (`s-maxage=0`),
 *   which costs a 304 while it is published and ends with the 404 once it
 *   is not, so no shared cache shows it after its owner unpublished it.
 */
export type PhotoCaching = "private" | "published";

const CACHE_CONTROL: Record<PhotoCaching, string> = {
  private: "no-store",
  published: "public, max-age=300, s-maxage=0",
};

/**
 * The answer of a photo route once it has decided the visitor may see the
 * photo: the file (`?size=thumb` for the thumbnail) as WebP, cached as
 * `caching` says. A published photo carries an ETag, so a cache asking again
 * gets a 304 without the bytes. A missing file is the same 404 as a refused
 * photo, so ids cannot be probed.
 */
export async function photoResponse(request: Request, id: string, caching: PhotoCaching) {
  if (!isPhotoId(id)) return photoNotFound();
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const file = photoFile(id, variant);
  const headers: Record<string, string> = {
    "Content-Type": "image/webp",
    "Cache-Control": CACHE_CONTROL[caching],
    "X-Content-Type-Options": "nosniff",
  };
  let bytes: Buffer;
  try {
    if (caching === "published") {
      // A photo's files never change once written: their size and time name the version.
      const { size, mtimeMs } = await stat(file);
      headers.ETag = `"${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
      if (request.headers.get("if-none-match") === headers.ETag) {
        return new Response(null, { status: 304, headers });
      }
    }
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return photoNotFound();
    throw error;
  }
  return new Response(new Uint8Array(bytes), { headers });
}

export function photoNotFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "Cache-Control": "private, no-store" },
  });
}

import { readFile } from "node:fs/promises";
import { isPhotoId, photoFile } from "./photo-files";

/**
 * The answer of a photo route once it has decided the visitor may see the
 * photo: the file (`?size=thumb` for the thumbnail) as WebP, cacheable only
 * by the visitor's own browser. A missing file is the same 404 as a refused
 * photo, so ids cannot be probed.
 */
export async function photoResponse(request: Request, id: string, maxAge: number) {
  if (!isPhotoId(id)) return photoNotFound();
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  let bytes: Buffer;
  try {
    bytes = await readFile(photoFile(id, variant));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return photoNotFound();
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/webp",
      // Private: a draft's photo, or an unpublished memorial's, must not sit in a shared cache.
      "Cache-Control": `private, max-age=${maxAge}`,
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function photoNotFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "Cache-Control": "private, no-store" },
  });
}

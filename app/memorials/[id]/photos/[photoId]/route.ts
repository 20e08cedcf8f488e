import fs from "node:fs/promises";
import { getSession, withSession } from "@/lib/sessions/next";
import { findDraft } from "@/lib/memorials/draft-ops";
import { drafts } from "@/lib/memorials/drafts";
import { photoFile } from "@/lib/memorials/photo-files";

type Context = { params: Promise<{ id: string; photoId: string }> };

/**
 * A draft's photo (`?size=thumb` for the thumbnail), only for the session
 * whose draft holds it. Anyone else gets the same 404 as for a photo that
 * does not exist, so ids cannot be probed.
 */
export const GET = withSession(async (request: Request, context: Context) => {
  const { id, photoId } = await context.params;
  const draft = findDraft(await drafts.read(await getSession()), id);
  if (!draft?.photos.some((photo) => photo.id === photoId)) return notFound();
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(photoFile(photoId, variant));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return notFound();
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/webp",
      // Private: a draft's photo is this visitor's alone; no shared cache may keep it.
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

function notFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "Cache-Control": "private, no-store" },
  });
}

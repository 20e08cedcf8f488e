import { readFile } from "node:fs/promises";
import { photoVisible } from "@/lib/accounts/memorials";
import { currentUser } from "@/lib/accounts/request";
import { db } from "@/lib/db/client";
import { photoFile } from "@/lib/memorials/photo-files";
import { withSession } from "@/lib/sessions/next";

type Context = { params: Promise<{ id: string }> };

const PHOTO_ID = /^[A-Za-z0-9_-]{6,32}$/;
const notFound = () => new Response("Not found", { status: 404 });

/**
 * A memorial's photo (`?size=thumb` for the thumbnail), to anyone when the
 * memorial is published and to its owner always; everyone else gets the same
 * 404 as for a photo that does not exist, so ids cannot be probed.
 */
export const GET = withSession(async (request: Request, { params }: Context) => {
  const { id } = await params;
  if (!PHOTO_ID.test(id)) return notFound();
  const viewer = await currentUser();
  if (!(await photoVisible(db(), id, viewer?.id ?? null))) return notFound();
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  let bytes: Buffer;
  try {
    bytes = await readFile(photoFile(id, variant));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return notFound();
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/webp",
      // Private: an unpublished memorial's photo must not sit in a shared cache.
      "Cache-Control": "private, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

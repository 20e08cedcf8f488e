import { photoVisibility } from "@/lib/accounts/memorials";
import { currentUser } from "@/lib/accounts/request";
import { db } from "@/lib/db/client";
import { isPhotoId } from "@/lib/memorials/photo-files";
import { photoNotFound, photoResponse } from "@/lib/memorials/photo-response";
import { withSession } from "@/lib/sessions/next";

type Context = { params: Promise<{ id: string }> };

/**
 * A memorial's photo (`?size=thumb` for the thumbnail), to anyone when the
 * memorial is published and to its owner always; everyone else gets the same
 * 404 as for a photo that does not exist, so ids cannot be probed. Only a
 * published memorial's photo may sit in a cache (`photo-response.ts`).
 */
export const GET = withSession(async (request: Request, { params }: Context) => {
  const { id } = await params;
  if (!isPhotoId(id)) return photoNotFound();
  const viewer = await currentUser();
  const visibility = await photoVisibility(db(), id, viewer?.id ?? null);
  if (!visibility) return photoNotFound();
  return photoResponse(request, id, visibility === "published" ? "published" : "private");
});

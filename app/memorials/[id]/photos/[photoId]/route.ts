import { getSession, withSession } from "@/lib/sessions/next";
import { findDraft } from "@/lib/memorials/draft-ops";
import { drafts } from "@/lib/memorials/drafts";
import { photoNotFound, photoResponse } from "@/lib/memorials/photo-response";

type Context = { params: Promise<{ id: string; photoId: string }> };

/**
 * A draft's photo (`?size=thumb` for the thumbnail), only for the session
 * whose draft holds it. Anyone else gets the same 404 as for a photo that
 * does not exist, so ids cannot be probed.
 */
export const GET = withSession(async (request: Request, context: Context) => {
  const { id, photoId } = await context.params;
  const draft = findDraft(await drafts.read(await getSession()), id);
  if (!draft?.photos.some((photo) => photo.id === photoId)) return photoNotFound();
  return photoResponse(request, photoId, 3600);
});

import { withSession } from "@/lib/sessions/next";
import { findDraft } from "@/lib/memorials/draft-ops";
import { photoNotFound, photoResponse } from "@/lib/memorials/photo-response";
import { visitorDrafts } from "../../../session-drafts";

type Context = { params: Promise<{ id: string; photoId: string }> };

/**
 * A draft's photo (`?size=thumb` for the thumbnail), only for the session
 * whose draft holds it. Anyone else gets the same 404 as for a photo that
 * does not exist, so ids cannot be probed. Never cached: after a logout the
 * browser must not show it again.
 */
export const GET = withSession(async (request: Request, context: Context) => {
  const { id, photoId } = await context.params;
  const draft = findDraft(await visitorDrafts(), id);
  if (!draft?.photos.some((photo) => photo.id === photoId)) return photoNotFound();
  return photoResponse(request, photoId, "private");
});

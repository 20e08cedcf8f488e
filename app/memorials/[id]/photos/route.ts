import { endStaleLogin } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { SessionTooLarge } from "@/lib/sessions";
import { getSession, withSession } from "@/lib/sessions/next";
import {
  addPhoto,
  findDraft,
  photoRoomLeft,
  replaceDraft,
  withPhotos,
} from "@/lib/memorials/draft-ops";
import type { Draft } from "@/lib/memorials/drafts";
import { LIMITS, drafts, newId } from "@/lib/memorials/drafts";
import { newNotice, notice } from "@/lib/memorials/notice";
import { PHOTO_LIMITS, deletePhotoFiles, storePhoto } from "@/lib/memorials/photo-upload";
import { bodyAtMost } from "@/lib/memorials/request-body";
import { seeOther } from "../../../see-other";
import { sessionFullAddress } from "../../../session-full";
import { changeDrafts } from "../../session-drafts";

type Context = { params: Promise<{ id: string }> };

/** A whole upload may carry a full draft's worth of photos, and no more. */
const MAX_REQUEST_BYTES = LIMITS.photosPerDraft * PHOTO_LIMITS.bytes + 1024 * 1024;

/** The photos one upload stored, and which of them the drafts it saved hold. */
interface Upload {
  stored: string[];
  kept: Set<string>;
}

/**
 * Receives the photo form (multipart, works without JavaScript): stores each
 * photo that passes the checks, keeps only references in the session, and
 * answers 303 back to the draft with what happened to every file.
 */
export async function POST(request: Request, context: Context): Promise<Response> {
  const { id } = await context.params;
  const upload: Upload = { stored: [], kept: new Set() };
  let saved = false;
  try {
    const response = await withSession(() => receive(request, id, upload))(request, context);
    // Only the 303 comes with a saved session; a 400 or a 503 saved nothing.
    saved = response.status === 303;
    return response;
  } catch (error) {
    if (!(error instanceof SessionTooLarge)) throw error;
    return seeOther(sessionFullAddress(`/memorials/${id}`, error));
  } finally {
    // A file whose reference did not reach the saved drafts would belong to no one: the save
    // failed, the draft was deleted meanwhile, or another upload filled it first.
    const orphans = upload.stored.filter((photoId) => !saved || !upload.kept.has(photoId));
    await Promise.all(orphans.map((photoId) => deletePhotoFiles(photoId)));
  }
}

async function receive(request: Request, id: string, upload: Upload): Promise<Response> {
  const session = await getSession();
  await endStaleLogin(db(), session);
  let draft = findDraft(await drafts.read(session), id);
  if (!draft) return new Response("Not found", { status: 404 });

  const form = await readForm(request);
  // A form sent with no file chosen still carries one empty, nameless file.
  const files = (form?.getAll("photos") ?? []).filter(
    (entry): entry is File => entry instanceof File && entry.size > 0,
  );
  const lines: string[] = [];
  if (files.length === 0) lines.push(form ? "Please choose a photo first." : tooBig());
  for (const file of files) {
    const outcome = await acceptOne(draft, file, upload.stored);
    if (outcome.ok) draft = outcome.value;
    else lines.push(`“${file.name.slice(0, 80)}”: ${outcome.message}`);
  }
  const added = upload.stored.length;
  if (added > 0) {
    // Storing photos takes seconds: the drafts may have changed meanwhile in another tab.
    const photos = draft.photos.filter((photo) => upload.stored.includes(photo.id));
    await changeDrafts((list) => {
      const current = findDraft(list, id);
      const next = current && withPhotos(current, photos);
      // The last run is the one saved: what it holds is what stays on disk.
      upload.kept = new Set(next?.photos.map((photo) => photo.id));
      return next ? replaceDraft(list, next) : list;
    });
    lines.unshift(added === 1 ? "1 photo added." : `${added} photos added.`);
  }
  const value = newNotice(lines.join(" "));
  await notice.write(session, value);
  return seeOther(`/memorials/${id}?notice=${value.id}`);
}

async function acceptOne(draft: Draft, file: File, stored: string[]) {
  const room = photoRoomLeft(draft);
  if (!room.ok) return room;
  const photoId = newId();
  const photo = await storePhoto(
    new Uint8Array(await file.arrayBuffer()),
    photoId,
    `A photo of ${draft.name}`,
  );
  if (!photo.ok) return photo;
  stored.push(photoId);
  return addPhoto(draft, photo.value);
}

/** The form, or null when the body is too large, cut short or not a form at all. */
async function readForm(request: Request): Promise<FormData | null> {
  const body = await bodyAtMost(request, MAX_REQUEST_BYTES);
  if (!body) return null;
  const type = request.headers.get("content-type") ?? "";
  try {
    return await new Response(body, { headers: { "content-type": type } }).formData();
  } catch (error) {
    if (error instanceof TypeError) return null; // not multipart, or cut short
    throw error;
  }
}

function tooBig(): string {
  return `That upload was too large or incomplete. Photos can be up to ${PHOTO_LIMITS.bytes / 1024 / 1024} MB each; please try fewer at a time.`;
}

import { endStaleLogin } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import type { SessionBase } from "@/lib/sessions";
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
import { refused } from "@/lib/memorials/outcome";
import { clientIp } from "@/lib/accounts/request";
import type { IncomingPhoto } from "@/lib/memorials/photo-form";
import { discardIncoming, readPhotoForm } from "@/lib/memorials/photo-form";
import { crossSitePostPage, photosBusyPage } from "@/lib/memorials/photo-pages";
import { photoQueue } from "@/lib/memorials/photo-queue";
import type { PhotoClaim, QuotaBucket } from "@/lib/memorials/photo-quota";
import {
  claimPhoto,
  photoUploader,
  quotaBuckets,
  releasePhotos,
} from "@/lib/memorials/photo-quota";
import { PHOTO_LIMITS, deletePhotoFiles, storePhoto } from "@/lib/memorials/photo-upload";
import { isCrossSite } from "@/lib/same-origin";
import { settings } from "@/lib/settings";
import { seeOther } from "../../../see-other";
import { sessionFullAddress } from "../../../session-full";
import { changeDrafts } from "../../session-drafts";

type Context = { params: Promise<{ id: string }> };

/** A whole upload may carry a full draft's worth of photos, and no more. */
const MAX_REQUEST_BYTES = LIMITS.photosPerDraft * PHOTO_LIMITS.bytes + 1024 * 1024;

/**
 * The files one upload received, the photos it stored with their quota
 * claims, and which of them the drafts it saved hold.
 */
interface Upload {
  incoming: IncomingPhoto[];
  stored: string[];
  claims: Map<string, PhotoClaim>;
  kept: Set<string>;
}

/**
 * Receives the photo form (multipart, works without JavaScript): stores each
 * photo that passes the checks, keeps only references in the session, and
 * answers 303 back to the draft with what happened to every file.
 *
 * A post from another site is refused (403), as Next refuses a Server
 * Action's. A server already holding as many uploads as `PHOTO_QUEUE` lets
 * wait answers 503 at once, before reading the body, so that photos never
 * pile up behind each other (nor logins behind them).
 */
export async function POST(request: Request, context: Context): Promise<Response> {
  const { id } = await context.params;
  if (isCrossSite(request)) return crossSitePostPage();
  const place = photoQueue(settings()).admit();
  if (!place) return photosBusyPage(`/memorials/${encodeURIComponent(id)}`);
  const upload: Upload = { incoming: [], stored: [], claims: new Map(), kept: new Set() };
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
    place.leave();
    await discardIncoming(upload.incoming);
    // A file whose reference did not reach the saved drafts would belong to no one: the save
    // failed, the draft was deleted meanwhile, or another upload filled it first.
    const orphans = upload.stored.filter((photoId) => !saved || !upload.kept.has(photoId));
    await Promise.all(orphans.map((photoId) => deletePhotoFiles(photoId)));
    await releaseClaims(orphans.map((photoId) => upload.claims.get(photoId) ?? []));
  }
}

async function receive(request: Request, id: string, upload: Upload): Promise<Response> {
  const session = await getSession();
  await endStaleLogin(db(), session);
  let draft = findDraft(await drafts.read(session), id);
  if (!draft) return new Response("Not found", { status: 404 });

  const form = await readPhotoForm(request, {
    maxBytes: MAX_REQUEST_BYTES,
    fileBytes: PHOTO_LIMITS.bytes,
    maxFiles: LIMITS.photosPerDraft,
  });
  if (form.ok) upload.incoming.push(...form.files);
  const files = form.ok ? form.files : [];
  const lines: string[] = [];
  if (files.length === 0) lines.push(form.ok ? "Please choose a photo first." : tooBig());
  if (form.ok && form.unread) {
    lines.push(
      `Only the first ${LIMITS.photosPerDraft} files were read: a memorial holds no more.`,
    );
  }
  const buckets = files.length > 0 ? await quotaBucketsHere(session) : [];
  for (const file of files) {
    const outcome = await acceptOne(draft, file, upload, buckets);
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

async function acceptOne(
  draft: Draft,
  file: IncomingPhoto,
  upload: Upload,
  buckets: QuotaBucket[],
) {
  const room = photoRoomLeft(draft);
  if (!room.ok) return room;
  const quota = await claimPhoto(db(), buckets);
  if ("refused" in quota) return refused(quota.refused);
  const photoId = newId();
  const photo = await storePhoto(file, photoId, `A photo of ${draft.name}`).catch(async (error) => {
    await releaseClaims([quota.claim]);
    throw error;
  });
  if (!photo.ok) {
    await releaseClaims([quota.claim]);
    return photo;
  }
  upload.stored.push(photoId);
  upload.claims.set(photoId, quota.claim);
  return addPhoto(draft, photo.value);
}

/** This session's buckets: its quota id (given on its first upload) and the client's address. */
async function quotaBucketsHere(session: SessionBase): Promise<QuotaBucket[]> {
  let uploader = await photoUploader.read(session);
  if (!uploader) {
    uploader = newId();
    await photoUploader.write(session, uploader);
  }
  return quotaBuckets(uploader, await clientIp(), settings());
}

/** Gives back quota claims; a database that fails here only leaves photos counted that were not kept. */
async function releaseClaims(claims: PhotoClaim[]): Promise<void> {
  try {
    await releasePhotos(db(), claims);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    console.error(
      `evermore: photo quota claims could not be given back (${typeof code === "string" ? code : "error"})`,
    );
  }
}

function tooBig(): string {
  return `That upload was too large or incomplete. Photos can be up to ${PHOTO_LIMITS.bytes / 1024 / 1024} MB each; please try fewer at a time.`;
}

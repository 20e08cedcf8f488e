import type { Details } from "./details";
import type { Draft, PhotoRef } from "./drafts";
import { LIMITS, newId } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";

/**
 * Pure operations on a visitor's drafts: each takes the current value and
 * returns a new one (nothing is mutated), or a message when a limit is
 * reached. The caller reads the session, applies one, and writes it back.
 */

export function findDraft(list: readonly Draft[], id: string): Draft | null {
  return list.find((draft) => draft.id === id) ?? null;
}

/** Adds a new draft at the end, unless the visitor already has `LIMITS.drafts`. */
export function createDraft(
  list: readonly Draft[],
  details: Details,
  now = new Date(),
): Outcome<{ list: Draft[]; draft: Draft }> {
  if (list.length >= LIMITS.drafts) {
    return refused(
      `You already have ${LIMITS.drafts} memorials in progress, the most we can keep ` +
        "without an account. Finish or delete one to start another.",
    );
  }
  const draft: Draft = {
    id: newId(),
    ...details,
    photos: [],
    stories: [],
    updatedAt: now.toISOString(),
  };
  return ok({ list: [...list, draft], draft });
}

export function updateDetails(draft: Draft, details: Details, now = new Date()): Draft {
  return { ...draft, ...details, updatedAt: now.toISOString() };
}

/** The list with `draft` in place of the draft with its id (or unchanged if it is gone). */
export function replaceDraft(list: readonly Draft[], draft: Draft): Draft[] {
  return list.map((each) => (each.id === draft.id ? draft : each));
}

export function removeDraft(list: readonly Draft[], id: string): Draft[] {
  return list.filter((draft) => draft.id !== id);
}

/** Whether the visitor can add one more photo to this draft (checked before any file is written). */
export function photoRoomLeft(draft: Draft): Outcome<null> {
  if (draft.photos.length < LIMITS.photosPerDraft) return ok(null);
  return refused(
    `${draft.name} already has ${LIMITS.photosPerDraft} photos, the most a memorial can hold. ` +
      "Remove one to add another.",
  );
}

export function addPhoto(draft: Draft, photo: PhotoRef, now = new Date()): Outcome<Draft> {
  const room = photoRoomLeft(draft);
  if (!room.ok) return room;
  return ok({ ...draft, photos: [...draft.photos, photo], updatedAt: now.toISOString() });
}

export function removePhoto(draft: Draft, photoId: string, now = new Date()): Draft {
  const photos = draft.photos.filter((photo) => photo.id !== photoId);
  return { ...draft, photos, updatedAt: now.toISOString() };
}

/** Every photo id across the visitor's drafts: what this session may see. */
export function ownsPhoto(list: readonly Draft[], photoId: string): boolean {
  return list.some((draft) => draft.photos.some((photo) => photo.id === photoId));
}

import type { Details } from "./details";
import type { Draft, PhotoRef, Story } from "./drafts";
import { LIMITS, newId } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";

/**
 * Pure operations on a visitor's drafts: each takes the current value and
 * returns a new one (nothing is mutated), or a message when a limit is
 * reached. They may run twice: on the drafts the request read, then on what
 * another request saved meanwhile (`drafts.change`); the `with…` ones add
 * something only once, however often they run.
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

/**
 * The list with `draft` at the end, unless it is there already or the list is
 * full: safe to apply again to a list another request changed meanwhile.
 */
export function withDraft(list: readonly Draft[], draft: Draft): Draft[] {
  if (findDraft(list, draft.id) || list.length >= LIMITS.drafts) return [...list];
  return [...list, draft];
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

/** The draft with each of `photos` it lacks, as far as there is room: safe to apply again. */
export function withPhotos(draft: Draft, photos: readonly PhotoRef[], now = new Date()): Draft {
  const known = new Set(draft.photos.map((photo) => photo.id));
  const added = photos.filter((photo) => !known.has(photo.id));
  const room = LIMITS.photosPerDraft - draft.photos.length;
  if (added.length === 0 || room <= 0) return draft;
  return {
    ...draft,
    photos: [...draft.photos, ...added.slice(0, room)],
    updatedAt: now.toISOString(),
  };
}

/** The draft with `story` at the end, unless it is there already or the draft is full: safe to apply again. */
export function withStory(draft: Draft, story: Story): Draft {
  const full = draft.stories.length >= LIMITS.storiesPerDraft;
  if (full || draft.stories.some((each) => each.id === story.id)) return draft;
  return { ...draft, stories: [...draft.stories, story], updatedAt: story.updatedAt };
}

export function removePhoto(draft: Draft, photoId: string, now = new Date()): Draft {
  const photos = draft.photos.filter((photo) => photo.id !== photoId);
  return { ...draft, photos, updatedAt: now.toISOString() };
}

/** The ids of every photo these drafts hold. */
export function photoIdsOf(drafts: Draft[]): string[] {
  return drafts.flatMap((draft) => draft.photos.map((photo) => photo.id));
}

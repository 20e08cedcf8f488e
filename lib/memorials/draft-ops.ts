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

/**
 * What the `with…` operations throw when what they add no longer fits: the
 * request checked the limit on the drafts it read, so this happens only when
 * they run again on what another tab saved meanwhile. The save then fails
 * with `ChangeConflict` (a 409 page: nothing of this request saved, the other
 * tab's change kept), rather than dropping what the visitor added unseen.
 */
export class NoRoomLeft extends RangeError {}

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

/** The list with `draft` at the end, once; `NoRoomLeft` when the list is full. */
export function withDraft(list: readonly Draft[], draft: Draft): Draft[] {
  if (findDraft(list, draft.id)) return [...list];
  if (list.length >= LIMITS.drafts) throw new NoRoomLeft(`${LIMITS.drafts} drafts at most`);
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

/** The draft with each of `photos` it lacks; `NoRoomLeft` when they do not all fit. */
export function withPhotos(draft: Draft, photos: readonly PhotoRef[], now = new Date()): Draft {
  const known = new Set(draft.photos.map((photo) => photo.id));
  const added = photos.filter((photo) => !known.has(photo.id));
  if (added.length === 0) return draft;
  if (draft.photos.length + added.length > LIMITS.photosPerDraft)
    throw new NoRoomLeft(`${LIMITS.photosPerDraft} photos per draft at most`);
  return { ...draft, photos: [...draft.photos, ...added], updatedAt: now.toISOString() };
}

/** The draft with `story` at the end, once; `NoRoomLeft` when the draft is full. */
export function withStory(draft: Draft, story: Story): Draft {
  if (draft.stories.some((each) => each.id === story.id)) return draft;
  if (draft.stories.length >= LIMITS.storiesPerDraft)
    throw new NoRoomLeft(`${LIMITS.storiesPerDraft} stories per draft at most`);
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

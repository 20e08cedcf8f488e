import { describe, expect, it } from "vitest";
import type { Details } from "./details";
import {
  addPhoto,
  createDraft,
  findDraft,
  NoRoomLeft,
  removeDraft,
  removePhoto,
  replaceDraft,
  updateDetails,
  withDraft,
  withPhotos,
  withStory,
} from "./draft-ops";
import type { Draft, PhotoRef } from "./drafts";
import { LIMITS, draftSchema } from "./drafts";

const details: Details = { name: "Biscuit", species: "dog", born: "2011", died: null, epitaph: "" };
const photo = (id: string): PhotoRef => ({ id, width: 640, height: 480, alt: "" });

function created(list: Draft[] = []): Draft[] {
  const outcome = createDraft(list, details);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value.list;
}

describe("draft operations", () => {
  it("creates a draft that matches the session schema, and leaves the old list alone", () => {
    const before: Draft[] = [];
    const list = created(before);
    expect(before).toEqual([]);
    expect(list).toHaveLength(1);
    expect(draftSchema.parse(list[0])).toMatchObject({ ...details, photos: [], stories: [] });
  });

  it("refuses a draft beyond the limit with a message that says what to do", () => {
    let list: Draft[] = [];
    for (let i = 0; i < LIMITS.drafts; i++) list = created(list);
    const outcome = createDraft(list, details);
    expect(outcome).toEqual({
      ok: false,
      message: expect.stringContaining("Finish or delete one to start another."),
    });
  });

  it("finds, updates, replaces and removes a draft by id", () => {
    const [first, second] = created(created());
    const list = [first!, second!];
    expect(findDraft(list, second!.id)).toBe(second);
    expect(findDraft(list, "nothing-here")).toBeNull();
    const renamed = updateDetails(first!, { ...details, name: "Pepper" }, new Date(0));
    expect(renamed.updatedAt).toBe("1970-01-01T00:00:00.000Z");
    expect(replaceDraft(list, renamed).map((d) => d.name)).toEqual(["Pepper", "Biscuit"]);
    expect(removeDraft(list, first!.id)).toEqual([second]);
  });

  it("adds photos up to the limit, then refuses with a message", () => {
    let draft = created()[0]!;
    for (let i = 0; i < LIMITS.photosPerDraft; i++) {
      const outcome = addPhoto(draft, photo(`photo-${i}`));
      if (!outcome.ok) throw new Error(outcome.message);
      draft = outcome.value;
    }
    expect(addPhoto(draft, photo("one-more"))).toEqual({
      ok: false,
      message: expect.stringContaining("Remove one to add another."),
    });
  });

  it("removes one photo and keeps the others", () => {
    const one = addPhoto(created()[0]!, photo("abcdef"));
    if (!one.ok) throw new Error(one.message);
    const two = addPhoto(one.value, photo("ghijkl"));
    if (!two.ok) throw new Error(two.message);
    expect(removePhoto(two.value, "abcdef").photos).toEqual([photo("ghijkl")]);
  });

  describe("operations that may run again on drafts another request changed", () => {
    it("withDraft adds a draft once, and refuses to go beyond the limit", () => {
      const [draft] = created();
      const once = withDraft([], draft!);
      expect(withDraft(once, draft!)).toEqual(once);
      let full: Draft[] = [];
      for (let i = 0; i < LIMITS.drafts; i++) full = created(full);
      expect(() => withDraft(full, draft!)).toThrow(NoRoomLeft);
    });

    it("withPhotos adds the photos a draft lacks, all or none", () => {
      const [draft] = created();
      const once = withPhotos(draft!, [photo("a"), photo("b")]);
      expect(withPhotos(once, [photo("b"), photo("c")]).photos.map((p) => p.id)).toEqual([
        "a",
        "b",
        "c",
      ]);
      const all = Array.from({ length: LIMITS.photosPerDraft }, (_, i) => photo(`p${i}`));
      expect(withPhotos(draft!, all).photos).toHaveLength(LIMITS.photosPerDraft);
      // Not some of them, unseen: the save fails and says so.
      expect(() => withPhotos(once, all)).toThrow(NoRoomLeft);
    });

    it("withStory adds a story once, and refuses to go beyond the limit", () => {
      const [draft] = created();
      const story = { id: "story_1", title: "", body: "", updatedAt: "2025-01-01T00:00:00.000Z" };
      const once = withStory(draft!, story);
      expect(withStory(once, story).stories).toEqual([story]);
      const full = {
        ...draft!,
        stories: Array.from({ length: LIMITS.storiesPerDraft }, (_, i) => ({
          ...story,
          id: `s${i}`,
        })),
      };
      expect(() => withStory(full, story)).toThrow(NoRoomLeft);
    });
  });
});

import { describe, expect, it } from "vitest";
import { createDraft } from "./draft-ops";
import type { Draft } from "./drafts";
import { LIMITS, draftSchema } from "./drafts";
import {
  addStory,
  deleteStory,
  findStory,
  paragraphs,
  parseStory,
  storyBytes,
  updateStory,
} from "./story-ops";

function aDraft(): Draft {
  const outcome = createDraft([], {
    name: "Biscuit",
    species: "",
    born: null,
    died: null,
    epitaph: "",
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value.draft;
}

describe("story operations", () => {
  it("adds, updates and deletes a story, keeping the draft valid", () => {
    const added = addStory(aDraft(), { title: "The beach", body: "She ran." });
    if (!added.ok) throw new Error(added.message);
    const { draft, story } = added.value;
    expect(findStory(draft, story.id)).toMatchObject({ title: "The beach", body: "She ran." });
    const edited = updateStory(draft, story.id, { title: "The beach", body: "She ran and ran." });
    expect(findStory(edited, story.id)?.body).toBe("She ran and ran.");
    expect(draftSchema.parse(edited).stories).toHaveLength(1);
    expect(deleteStory(edited, story.id).stories).toEqual([]);
    expect(findStory(edited, "missing-id")).toBeNull();
  });

  it("refuses a story beyond the limit with a message", () => {
    let draft = aDraft();
    for (let i = 0; i < LIMITS.storiesPerDraft; i++) {
      const outcome = addStory(draft, { title: "", body: `story ${i}` });
      if (!outcome.ok) throw new Error(outcome.message);
      draft = outcome.value.draft;
    }
    expect(addStory(draft, { title: "", body: "one more" })).toEqual({
      ok: false,
      message: expect.stringContaining(`already has ${LIMITS.storiesPerDraft} stories`),
    });
  });

  it("accepts a long story up to the limit and explains how to go beyond it", () => {
    expect(parseStory({ body: "a".repeat(LIMITS.storyBytes) })).toMatchObject({ ok: true });
    expect(parseStory({ body: "a".repeat(LIMITS.storyBytes + 1) })).toEqual({
      ok: false,
      message:
        "A story can take up to 12,000 bytes: that is 12,000 plain English letters, but 2,000 " +
        "Japanese, Arabic or accented ones (each takes six), and line breaks take two. Split it " +
        "into two stories to keep going.",
    });
    expect(parseStory({ title: "t".repeat(121) })).toMatchObject({ ok: false });
  });

  it.each([
    ["Japanese", "猫", 1],
    ["Arabic", "ق", 1],
    ["an emoji", "🐶", 2],
  ])("measures a story in %s by the bytes it takes as stored", (_, char, units) => {
    const fits = char.repeat(LIMITS.storyBytes / 6 / units);
    expect(parseStory({ body: fits })).toMatchObject({ ok: true });
    expect(storyBytes(fits)).toBe(LIMITS.storyBytes);
    expect(parseStory({ body: `${fits}${char}` })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^A story can take up to 12,000 bytes/),
    });
    // A line break as a form posts it (CRLF) takes four bytes: "\r\n".
    expect(parseStory({ body: `${"a".repeat(LIMITS.storyBytes - 4)}\r\n` })).toMatchObject({
      ok: true,
    });
    expect(parseStory({ body: `${"a".repeat(LIMITS.storyBytes - 3)}\r\n` })).toMatchObject({
      ok: false,
    });
  });

  it("refuses control and bidi-override characters, allowing line breaks and tabs in the body only", () => {
    for (const title of ["The\u0000beach", "The\nbeach", "The \u202Ebeach"]) {
      expect(parseStory({ title, body: "She ran." })).toEqual({
        ok: false,
        message: expect.stringMatching(/^The title contains an invisible/),
      });
    }
    for (const body of ["She ran\u0000", "She\u001b ran", "She ran\u2067"]) {
      expect(parseStory({ body })).toEqual({
        ok: false,
        message: expect.stringMatching(/^The story contains an invisible/),
      });
    }
    const body = "Ma plage préférée 🌊\r\n\r\n\tShe ran.\nAnd ran.";
    expect(parseStory({ title: "L'été à Brest", body })).toEqual({
      ok: true,
      value: { title: "L'été à Brest", body },
    });
  });

  it("keeps the body exactly as typed, trailing spaces included (an autosave mid-word)", () => {
    expect(parseStory({ title: " Beach ", body: "She ran " })).toEqual({
      ok: true,
      value: { title: "Beach", body: "She ran " },
    });
  });

  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(paragraphs("One\nstill one\n\n  \nTwo\n\n")).toEqual(["One\nstill one", "Two"]);
  });
});

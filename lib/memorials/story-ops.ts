import { z } from "zod";
import { plainTextRule } from "@/lib/plain-text";
import { serializedLength } from "@/lib/sessions";
import type { Draft, Story } from "./drafts";
import { LIMITS, newId } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";

/** What a visitor writes: a title (optional) and the story itself, plain text with blank lines between paragraphs. */
export interface StoryText {
  title: string;
  body: string;
}

/** What a story's body costs in the session, in the unit of `LIMITS.storyBytes`. */
export function storyBytes(body: string): number {
  return serializedLength(body) - 2;
}

const STORY_TOO_LONG =
  `A story can take up to ${LIMITS.storyBytes.toLocaleString("en")} bytes: that is ` +
  `${LIMITS.storyBytes.toLocaleString("en")} plain English letters, but ` +
  `${(LIMITS.storyBytes / 6).toLocaleString("en")} Japanese, Arabic or accented ones ` +
  "(each takes six), and line breaks take two. Split it into two stories to keep going.";

const storyInput = z.object({
  title: z
    .string()
    .trim()
    .max(LIMITS.storyTitleLength, `A title can be up to ${LIMITS.storyTitleLength} characters.`)
    .refine(...plainTextRule("The title"))
    .default(""),
  // Not trimmed: the visitor may be in the middle of a sentence when an autosave runs.
  // No character costs less than a byte: the length check spares measuring a huge post.
  body: z
    .string()
    .max(LIMITS.storyBytes, STORY_TOO_LONG)
    .refine((body) => storyBytes(body) <= LIMITS.storyBytes, STORY_TOO_LONG)
    .refine(...plainTextRule("The story", { multiLine: true }))
    .default(""),
});

export function parseStory(input: Record<string, unknown>): Outcome<StoryText> {
  const parsed = storyInput.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return refused(parsed.error.issues[0]?.message ?? "Please check the story.");
}

export function findStory(draft: Draft, storyId: string): Story | null {
  return draft.stories.find((story) => story.id === storyId) ?? null;
}

/** A new story at the end of the draft, unless it already has `LIMITS.storiesPerDraft`. */
export function addStory(
  draft: Draft,
  text: StoryText,
  now = new Date(),
): Outcome<{ draft: Draft; story: Story }> {
  if (draft.stories.length >= LIMITS.storiesPerDraft) {
    return refused(
      `${draft.name} already has ${LIMITS.storiesPerDraft} stories, the most a memorial can ` +
        "hold. You can make an existing story longer instead.",
    );
  }
  const story: Story = { id: newId(), ...text, updatedAt: now.toISOString() };
  return ok({
    draft: { ...draft, stories: [...draft.stories, story], updatedAt: story.updatedAt },
    story,
  });
}

export function updateStory(
  draft: Draft,
  storyId: string,
  text: StoryText,
  now = new Date(),
): Draft {
  const stamp = now.toISOString();
  const stories = draft.stories.map((story) =>
    story.id === storyId ? { ...story, ...text, updatedAt: stamp } : story,
  );
  return { ...draft, stories, updatedAt: stamp };
}

export function deleteStory(draft: Draft, storyId: string, now = new Date()): Draft {
  const stories = draft.stories.filter((story) => story.id !== storyId);
  return { ...draft, stories, updatedAt: now.toISOString() };
}

/** A story's paragraphs: separated by blank lines, single line breaks kept inside a paragraph. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

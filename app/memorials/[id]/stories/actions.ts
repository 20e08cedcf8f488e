"use server";

import { redirect } from "next/navigation";
import { formFields } from "@/lib/form-fields";
import { SessionTooLarge } from "@/lib/sessions";
import { sessionAction } from "@/lib/sessions/next";
import { findDraft, withStory } from "@/lib/memorials/draft-ops";
import { PROBLEMS, tooLargeProblem } from "@/lib/memorials/notice";
import {
  addStory,
  deleteStory,
  findStory,
  parseStory,
  updateStory,
} from "@/lib/memorials/story-ops";
import {
  changeDraft,
  redirectWithNotice,
  requireDraft,
  visitorAction,
  visitorDrafts,
} from "../../session-drafts";

/** Starts an empty story and opens its editor. */
export const addStoryAction = visitorAction(
  async (id: string) => {
    const { draft } = await requireDraft(id);
    const added = addStory(draft, { title: "", body: "" });
    if (!added.ok) return redirectWithNotice(`/memorials/${id}`, added.message);
    const { story } = added.value;
    await changeDraft(id, (current) => withStory(current, story));
    redirect(`/memorials/${id}/stories/${story.id}`);
  },
  (id) => `/memorials/${id}`,
);

/** The editor's plain form post: what a browser without JavaScript uses. */
export const saveStoryForm = visitorAction(
  async (id: string, storyId: string, form: FormData) => {
    const { draft } = await requireDraft(id);
    const path = `/memorials/${id}/stories/${storyId}`;
    if (!findStory(draft, storyId)) redirect(`/memorials/${id}`);
    const text = parseStory(formFields(form));
    if (!text.ok) return redirectWithNotice(path, text.message);
    await changeDraft(id, (current) => updateStory(current, storyId, text.value));
    await redirectWithNotice(path, "Your story is saved.");
  },
  (id, storyId) => `/memorials/${id}/stories/${storyId}`,
);

export const deleteStoryAction = visitorAction(
  async (id: string, storyId: string) => {
    await requireDraft(id);
    await changeDraft(id, (current) => deleteStory(current, storyId));
    await redirectWithNotice(`/memorials/${id}`, "The story was deleted.");
  },
  (id) => `/memorials/${id}`,
);

export type AutosaveResult = { ok: true } | { ok: false; message: string };

const saveLatest = sessionAction(
  async (id: string, storyId: string, input: { title: string; body: string }) => {
    const draft = findDraft(await visitorDrafts(), id);
    if (!draft || !findStory(draft, storyId)) {
      return { ok: false, message: "This story is no longer in your drafts." } as const;
    }
    const text = parseStory({ title: input?.title, body: input?.body });
    if (!text.ok) return text;
    await changeDraft(id, (current) => updateStory(current, storyId, text.value));
    return { ok: true } as const;
  },
);

/**
 * The editor's autosave: answers with a message instead of redirecting, so
 * the page stays as it is while the visitor types.
 */
export async function autosaveStory(
  id: string,
  storyId: string,
  input: { title: string; body: string },
): Promise<AutosaveResult> {
  try {
    return await saveLatest(id, storyId, input);
  } catch (error) {
    if (error instanceof SessionTooLarge)
      return { ok: false, message: PROBLEMS[tooLargeProblem(error)] };
    throw error;
  }
}

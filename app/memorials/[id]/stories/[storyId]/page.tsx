import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LIMITS } from "@/lib/memorials/drafts";
import { findStory } from "@/lib/memorials/story-ops";
import type { NoticeParams } from "../../../../notice";
import { Notice } from "../../../../notice";
import { requireDraft } from "../../../session-drafts";
import { autosaveStory, deleteStoryAction, saveStoryForm } from "../actions";
import { StoryEditor } from "./story-editor";

type Props = {
  params: Promise<{ id: string; storyId: string }>;
  searchParams: Promise<NoticeParams>;
};

export const metadata: Metadata = { title: "A story" };

/** One story's editor: autosaves as the visitor types, and a plain form without JavaScript. */
export default async function StoryPage({ params, searchParams }: Props) {
  const { id, storyId } = await params;
  const { draft } = await requireDraft(id);
  const story = findStory(draft, storyId);
  if (!story) notFound();
  return (
    <article className="page narrow">
      <p className="breadcrumb">
        <Link href={`/memorials/${draft.id}`}>Back to {draft.name}</Link>
      </p>
      <h1>A story about {draft.name}</h1>
      <Notice params={await searchParams} />
      <StoryEditor
        initial={{ title: story.title, body: story.body }}
        submit={saveStoryForm.bind(null, draft.id, story.id)}
        autosave={autosaveStory.bind(null, draft.id, story.id)}
        limits={{ title: LIMITS.storyTitleLength, bodyBytes: LIMITS.storyBytes }}
      />
      <form action={deleteStoryAction.bind(null, draft.id, story.id)} className="panel-quiet">
        <button type="submit" className="button button-danger">
          Delete this story
        </button>
      </form>
    </article>
  );
}

import Link from "next/link";
import type { Draft } from "@/lib/memorials/drafts";
import { LIMITS } from "@/lib/memorials/drafts";
import { paragraphs } from "@/lib/memorials/story-ops";
import { addStoryAction } from "./stories/actions";

/** A draft's stories, each opening its editor, and the button that starts a new one. */
export function StorySection({ draft }: { draft: Draft }) {
  return (
    <section aria-labelledby="stories-heading" className="panel">
      <h2 id="stories-heading">Stories</h2>
      {draft.stories.length > 0 && (
        <ul className="story-list">
          {draft.stories.map((story) => (
            <li key={story.id}>
              <Link href={`/memorials/${draft.id}/stories/${story.id}`}>
                {story.title || "Untitled story"}
              </Link>
              <p>{excerpt(story.body)}</p>
            </li>
          ))}
        </ul>
      )}
      {draft.stories.length < LIMITS.storiesPerDraft ? (
        <form action={addStoryAction.bind(null, draft.id)}>
          <button type="submit" className="button">
            Write a story
          </button>
        </form>
      ) : (
        <p>
          {draft.name} has {LIMITS.storiesPerDraft} stories, the most a memorial holds.
        </p>
      )}
    </section>
  );
}

function excerpt(body: string): string {
  const first = paragraphs(body)[0] ?? "Nothing written yet.";
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}

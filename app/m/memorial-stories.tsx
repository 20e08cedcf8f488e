import { paragraphs } from "@/lib/memorials/story-ops";

/** A memorial's stories, each as the paragraphs its author wrote (blank lines between them). */
export function MemorialStories({
  stories,
}: {
  stories: { id: number; title: string; body: string }[];
}) {
  if (stories.length === 0) return null;
  return (
    <section className="account-section" aria-labelledby="stories-heading">
      <h2 id="stories-heading">Stories</h2>
      {stories.map((story) => (
        <article key={story.id} className="card">
          <h3>{story.title}</h3>
          {paragraphs(story.body).map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </article>
      ))}
    </section>
  );
}

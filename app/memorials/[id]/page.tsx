import type { Metadata } from "next";
import Link from "next/link";
import type { NoticeParams } from "../../notice";
import { Notice } from "../../notice";
import { deleteMemorial, updateMemorial } from "../actions";
import { DetailsFields } from "../details-fields";
import { requireDraft } from "../session-drafts";
import { PhotoSection } from "./photo-section";
import { StorySection } from "./story-section";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<NoticeParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { draft } = await requireDraft((await params).id);
  return { title: `Remembering ${draft.name}` };
}

/** One draft: its details, photos and stories, each editable without JavaScript. */
export default async function MemorialPage({ params, searchParams }: Props) {
  const { draft } = await requireDraft((await params).id);
  return (
    <article className="page">
      <p className="breadcrumb">
        <Link href="/memorials">Your memorials</Link>
      </p>
      <h1>Remembering {draft.name}</h1>
      <Notice params={await searchParams} />

      <section aria-labelledby="details-heading" className="panel">
        <h2 id="details-heading">Details</h2>
        <form action={updateMemorial.bind(null, draft.id)} className="stacked-form">
          <DetailsFields details={draft} />
          <button type="submit" className="button">
            Save details
          </button>
        </form>
      </section>

      <PhotoSection draft={draft} />
      <StorySection draft={draft} />

      <section aria-labelledby="delete-heading" className="panel panel-quiet">
        <h2 id="delete-heading">Delete this draft</h2>
        <form action={deleteMemorial.bind(null, draft.id)}>
          <button type="submit" className="button button-danger">
            Delete the memorial for {draft.name}
          </button>
        </form>
      </section>
    </article>
  );
}

import type { Metadata } from "next";
import type { NoticeParams } from "../../notice";
import { Notice } from "../../notice";
import { createMemorial } from "../actions";
import { DetailsFields } from "../details-fields";

export const metadata: Metadata = { title: "Start a memorial" };

export default async function NewMemorialPage({
  searchParams,
}: {
  searchParams: Promise<NoticeParams>;
}) {
  return (
    <section className="page narrow">
      <h1>Start a memorial</h1>
      <p className="lede">
        Only their name is needed; the rest can wait. Photos and stories come next.
      </p>
      <Notice params={await searchParams} />
      <form action={createMemorial} className="stacked-form">
        <DetailsFields />
        <button type="submit" className="button">
          Start the memorial
        </button>
      </form>
    </section>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

import { LIMITS } from "@/lib/memorials/drafts";
import type { NoticeParams } from "../notice";
import { Notice } from "../notice";
import { visitorDrafts } from "./session-drafts";

export const metadata: Metadata = { title: "Your memorials" };

/** The visitor's drafts, kept in their session on this device. */
export default async function MemorialsPage({
  searchParams,
}: {
  searchParams: Promise<NoticeParams>;
}) {
  const list = await visitorDrafts();
  return (
    <section className="page">
      <h1>Your memorials</h1>
      <Notice params={await searchParams} />
      {list.length === 0 ? (
        <p className="lede">Nothing here yet. When you start a memorial, it waits for you here.</p>
      ) : (
        <ul className="draft-list">
          {list.map((draft) => (
            <li key={draft.id} className="card">
              <h2>
                <Link href={`/memorials/${draft.id}`}>{draft.name}</Link>
              </h2>
              <p>{[draft.species, lifespan(draft.born, draft.died)].filter(Boolean).join(" · ")}</p>
              <p className="draft-counts">
                {count(draft.photos.length, "photo")},{" "}
                {count(draft.stories.length, "story", "stories")}
              </p>
            </li>
          ))}
        </ul>
      )}
      {list.length < LIMITS.drafts ? (
        <p>
          <Link href="/memorials/new" className="button">
            Start a memorial
          </Link>
        </p>
      ) : (
        <p>You have {LIMITS.drafts} memorials in progress, the most we keep without an account.</p>
      )}
    </section>
  );
}

function lifespan(born: string | null, died: string | null): string {
  if (!born && !died) return "";
  return `${born ?? "?"} – ${died ?? ""}`.trim();
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { publishedMemorial } from "@/lib/accounts/memorials";
import { db } from "@/lib/db/client";
import { MemorialPhotos } from "../memorial-photos";
import { MemorialStories } from "../memorial-stories";

type Props = { params: Promise<{ slug: string }> };

/** One query per request, shared by the metadata and the page. */
const memorialFor = cache(async (slug: string) => publishedMemorial(db(), slug));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const memorial = await memorialFor((await params).slug);
  return { title: memorial ? `In memory of ${memorial.name}` : "Not found" };
}

/** A published memorial, open to anyone; an unpublished or unknown one is a 404. */
export default async function MemorialPage({ params }: Props) {
  const memorial = await memorialFor((await params).slug);
  if (!memorial) notFound();
  const years = [memorial.born, memorial.died].filter(Boolean).join(" – ");

  return (
    <article>
      <section className="hero">
        <p className="eyebrow">In loving memory</p>
        <h1>{memorial.name}</h1>
        <p className="lede">
          {[memorial.species, years].filter(Boolean).join(" · ")}
          {memorial.epitaph && (
            <>
              <br />
              {memorial.epitaph}
            </>
          )}
        </p>
      </section>
      <MemorialPhotos name={memorial.name} photos={memorial.photos} />
      <MemorialStories stories={memorial.stories} />
    </article>
  );
}

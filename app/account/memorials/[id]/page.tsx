import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { ownedMemorial, parseMemorialId } from "@/lib/accounts/memorials";
import { currentUser } from "@/lib/accounts/request";
import { db } from "@/lib/db/client";
import { LIMITS } from "@/lib/memorials/drafts";
import { MemorialPhotos } from "../../../m/memorial-photos";
import { MemorialStories } from "../../../m/memorial-stories";
import type { NoticeParams } from "../../../notice";
import { Notice } from "../../../notice";
import { ConfirmEmailNotice } from "../../confirm-email-notice";
import { editMemorialAction, setPublishedAction } from "../../memorial-actions";

export const metadata: Metadata = { title: "Edit memorial" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<NoticeParams & { saved?: string; confirm?: string }>;
};

export default async function EditMemorialPage({ params, searchParams }: Props) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const id = parseMemorialId((await params).id);
  const memorial = id === null ? null : await ownedMemorial(db(), user.id, id);
  if (!memorial) notFound();
  const { saved, confirm, ...notice } = await searchParams;

  return (
    <>
      <section className="hero">
        <p className="eyebrow">
          <Link href="/account">Your memorials</Link>
        </p>
        <h1>{memorial.name}</h1>
        {memorial.published ? (
          <p className="lede">
            Published at <Link href={`/m/${memorial.slug}`}>/m/{memorial.slug}</Link> for anyone
            with the link.
          </p>
        ) : (
          <p className="lede">Private: only you can see it.</p>
        )}
        <form action={setPublishedAction}>
          <input type="hidden" name="id" value={memorial.id} />
          <input type="hidden" name="published" value={String(!memorial.published)} />
          <button type="submit" className="button">
            {memorial.published ? "Unpublish" : "Publish"}
          </button>
        </form>
        {!user.emailVerified && (
          <ConfirmEmailNotice email={user.email} memorialId={memorial.id} answer={confirm} />
        )}
      </section>

      <section className="account-section" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Details</h2>
        {saved && (
          <p className="notice" role="status">
            Saved.
          </p>
        )}
        <Notice params={notice} />
        <form action={editMemorialAction} className="account-form">
          <input type="hidden" name="id" value={memorial.id} />
          <label>
            Name
            <input
              name="name"
              required
              maxLength={LIMITS.nameLength}
              defaultValue={memorial.name}
            />
          </label>
          <label>
            Species
            <input
              name="species"
              maxLength={LIMITS.speciesLength}
              defaultValue={memorial.species}
            />
          </label>
          <label>
            Epitaph
            <textarea
              name="epitaph"
              rows={3}
              maxLength={LIMITS.epitaphLength}
              defaultValue={memorial.epitaph}
            />
          </label>
          <p>
            <button type="submit" className="button quiet">
              Save
            </button>
          </p>
        </form>
      </section>

      <MemorialPhotos name={memorial.name} photos={memorial.photos} />
      <MemorialStories stories={memorial.stories} />
    </>
  );
}

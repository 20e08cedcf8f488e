import { randomBytes } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { photoIdsOf } from "@/lib/memorials/draft-ops";
import type { Draft } from "@/lib/memorials/drafts";
import { deletePhotoFiles } from "@/lib/memorials/photo-upload";
import { withoutUnprintable } from "@/lib/plain-text";

/**
 * Moves an anonymous visitor's drafts into their account at login or sign-up,
 * in one transaction: all of them or none. Returns the ids of the drafts it
 * wrote into the account.
 *
 * Idempotent: a memorial remembers the draft it came from (`draftId`, unique
 * per owner), so drafts carried before are skipped. That matters because the
 * drafts leave the session only after this commits; if the session's save
 * then fails, the next login carries the same drafts again and adds nothing.
 * Photos keep their ids, and with them their files on disk.
 *
 * `again` names drafts this same logout carried a moment ago, from a version
 * that another request has since changed (an autosave the logout's flush
 * refused to delete): their memorials are written anew from the newer draft
 * instead of being skipped.
 *
 * A photo already in a memorial stays there: with a cookie engine, the
 * cookie from before a login still holds the drafts it carried, and can log
 * in to another account. That account gets the draft's words, not the other
 * account's photos.
 */
export async function carryDrafts(
  database: Database,
  ownerId: number,
  drafts: Draft[],
  { again = new Set<string>() }: { again?: ReadonlySet<string> } = {},
): Promise<string[]> {
  if (drafts.length === 0) return [];
  return database.$transaction(async (tx) => {
    const carried = await tx.memorial.findMany({
      where: { ownerId, draftId: { in: drafts.map((draft) => draft.id) } },
      select: { id: true, draftId: true },
    });
    const rewritten = carried.filter((memorial) => again.has(memorial.draftId));
    const skip = new Set(carried.map((memorial) => memorial.draftId));
    const held = await tx.memorialPhoto.findMany({
      where: {
        id: { in: photoIdsOf(drafts) },
        memorialId: { notIn: rewritten.map((memorial) => memorial.id) },
      },
      select: { id: true },
    });
    const taken = new Set(held.map((photo) => photo.id));
    const written: string[] = [];
    for (const draft of drafts) {
      const rewrite = rewritten.find((memorial) => memorial.draftId === draft.id);
      if (skip.has(draft.id) && !rewrite) continue;
      skip.add(draft.id); // a draft listed twice is still one memorial
      const photos = draft.photos.filter((photo) => !taken.has(photo.id));
      for (const photo of photos) taken.add(photo.id); // nor can two drafts share a photo
      const { slug, ...memorial } = memorialFrom(ownerId, { ...draft, photos });
      if (rewrite) {
        await tx.memorialPhoto.deleteMany({ where: { memorialId: rewrite.id } });
        await tx.memorialStory.deleteMany({ where: { memorialId: rewrite.id } });
        await tx.memorial.update({ where: { id: rewrite.id }, data: memorial });
      } else {
        await tx.memorial.create({ data: { slug, ...memorial } });
      }
      written.push(draft.id);
    }
    return written;
  });
}

/**
 * The memorial for a draft. Text passes through `withoutUnprintable`: a draft
 * saved before the site refused control characters may hold a NUL, which
 * PostgreSQL refuses, and a carry that always fails would strand the drafts.
 */
function memorialFrom(ownerId: number, draft: Draft) {
  return {
    ownerId,
    draftId: draft.id,
    slug: slugFor(draft.name),
    name: withoutUnprintable(draft.name),
    species: withoutUnprintable(draft.species),
    born: draft.born,
    died: draft.died,
    epitaph: withoutUnprintable(draft.epitaph, { multiLine: true }),
    photos: {
      create: draft.photos.map((photo, position) => ({
        id: photo.id,
        position,
        width: photo.width,
        height: photo.height,
        alt: withoutUnprintable(photo.alt),
      })),
    },
    stories: {
      create: draft.stories.map((story, position) => ({
        position,
        title: withoutUnprintable(story.title),
        body: withoutUnprintable(story.body, { multiLine: true }),
        updatedAt: dateOr(story.updatedAt, new Date()),
      })),
    },
  };
}

/** A draft's timestamps are plain strings in the session; a bad one becomes `fallback`. */
function dateOr(text: string, fallback: Date): Date {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? fallback : date;
}

/** A readable, unguessable address: `biscuit-k3x9q2`; the suffix keeps unpublished names private. */
export function slugFor(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  const suffix = randomBytes(6)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x");
  return `${words || "memorial"}-${suffix}`;
}

/**
 * Deletes the files of these photos unless a memorial holds them: what is
 * left on disk of drafts a flush (or the visitor) has just forgotten. Photos
 * carried into an account keep their files. The drafts are gone by then, so
 * a failure (the database, the disk) is reported and leaves files behind
 * (`npm run clearphotos` removes them later); it never undoes or fails the
 * logout or the deletion.
 */
export async function deleteForgottenPhotos(database: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    const claimed = await database.memorialPhoto.findMany({
      where: { id: { in: ids } },
      select: { id: true },
    });
    const kept = new Set(claimed.map((photo) => photo.id));
    await Promise.all(ids.filter((id) => !kept.has(id)).map((id) => deletePhotoFiles(id)));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    console.error(
      `evermore: the files of forgotten photos could not all be removed (${typeof code === "string" ? code : "error"})`,
    );
  }
}

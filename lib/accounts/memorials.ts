import type { Database } from "@/lib/db/client";
import { MAX_ROW_ID } from "@/lib/db/client";
import { parseDetails } from "@/lib/memorials/details";
import type { Outcome } from "@/lib/memorials/outcome";
import { ok } from "@/lib/memorials/outcome";

/**
 * Memorials in accounts: the owner's list and edits, and what the public sees
 * (published memorials only). Every owner query names the owner, so one
 * account can never read or change another's memorial by guessing an id.
 */
export function ownedMemorials(database: Database, ownerId: number) {
  return database.memorial.findMany({
    where: { ownerId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, slug: true, published: true },
  });
}

export function ownedMemorial(database: Database, ownerId: number, id: number) {
  return database.memorial.findFirst({
    where: { id, ownerId },
    include: {
      photos: { orderBy: { position: "asc" } },
      stories: { orderBy: { position: "asc" } },
    },
  });
}

/** The largest id a memorial can have. */
export const MAX_MEMORIAL_ID = MAX_ROW_ID;

/**
 * A memorial id from an address or a form: a whole number from 1 to
 * `MAX_MEMORIAL_ID`, else null (a 404). Larger numbers are refused here, as
 * PostgreSQL fails a query that compares an `integer` column with them.
 */
export function parseMemorialId(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_MEMORIAL_ID ? id : null;
}

export interface MemorialEdit {
  name: string;
  species: string;
  epitaph: string;
}

/**
 * The account's edit form (name, species, epitaph), checked by the same
 * rules as a draft's details (`parseDetails`), messages included.
 */
export function parseMemorialEdit(fields: Record<string, unknown>): Outcome<MemorialEdit> {
  // Only these fields: the form has no dates, and none sent by hand should refuse the edit.
  const parsed = parseDetails({
    name: fields.name,
    species: fields.species,
    epitaph: fields.epitaph,
  });
  if (!parsed.ok) return parsed;
  const { name, species, epitaph } = parsed.value;
  return ok({ name, species, epitaph });
}

/** Applies an edit to the owner's memorial; false when there is no such memorial of theirs. */
export async function editMemorial(
  database: Database,
  ownerId: number,
  id: number,
  edit: MemorialEdit,
): Promise<boolean> {
  const { count } = await database.memorial.updateMany({ where: { id, ownerId }, data: edit });
  return count === 1;
}

/**
 * Publishes or unpublishes the owner's memorial. Publishing needs a
 * confirmed email (`unconfirmed` otherwise): an address nobody confirmed
 * may be anyone's. Unpublishing never does. `missing`: no such memorial of theirs.
 */
export async function setPublished(
  database: Database,
  owner: { id: number; emailVerified: boolean },
  id: number,
  published: boolean,
): Promise<"done" | "missing" | "unconfirmed"> {
  const mine = { id, ownerId: owner.id };
  if (published && !owner.emailVerified) {
    return (await database.memorial.count({ where: mine })) === 1 ? "unconfirmed" : "missing";
  }
  const { count } = await database.memorial.updateMany({
    // Checked again in the update: the owner read before may be older than the row.
    where: published ? { ...mine, owner: { is: { emailVerified: true } } } : mine,
    data: { published },
  });
  return count === 1 ? "done" : "missing";
}

/** What `slugFor` makes: anything else is no memorial's address, and never reaches a query. */
const SLUG = /^[a-z0-9-]{1,120}$/;

/** A memorial anyone may see: published, by its address. */
export async function publishedMemorial(database: Database, slug: string) {
  // PostgreSQL refuses a NUL in a text parameter, and `/m/%00` is anyone's to type.
  if (!SLUG.test(slug)) return null;
  return database.memorial.findFirst({
    where: { slug, published: true },
    include: {
      photos: { orderBy: { position: "asc" } },
      stories: { orderBy: { position: "asc" } },
    },
  });
}

/**
 * Who may see a photo, for `viewerId` (null: anonymous): `"published"` when
 * its memorial is published (anyone), `"owner"` when it is not but the
 * viewer owns it, else null (a 404). The route caches the two differently.
 */
export async function photoVisibility(
  database: Database,
  photoId: string,
  viewerId: number | null,
): Promise<"published" | "owner" | null> {
  const photo = await database.memorialPhoto.findUnique({
    where: { id: photoId },
    select: { memorial: { select: { published: true, ownerId: true } } },
  });
  if (!photo) return null;
  if (photo.memorial.published) return "published";
  return photo.memorial.ownerId === viewerId ? "owner" : null;
}

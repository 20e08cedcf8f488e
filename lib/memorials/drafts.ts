import { randomBytes } from "node:crypto";
import { z } from "zod";
import { sessionValue } from "@/lib/sessions";

/**
 * What an anonymous visitor drafts, kept in their session (no account
 * needed): their name, and up to `LIMITS.drafts` memorials in progress, each
 * with photo references (never bytes) and stories.
 *
 * The limits are what a visitor may add. Together, every field at its most
 * in the costliest characters (each non-ASCII character takes six bytes as
 * stored, an emoji twelve), they stay under `SESSION_MAX_SIZE`'s default of
 * 256 KiB with room for the rest of the session (proven by
 * `drafts-size.test.ts`). So the story, the one long field, is limited in
 * the unit that costs: bytes as stored (`serializedLength`), which is 12,000
 * plain English letters or 2,000 Japanese, Arabic or accented ones. Text
 * fields are otherwise in characters (UTF-16 units, as `maxLength` counts).
 * A cookie engine may still hold less (the site says so when a save does not fit).
 */
export const LIMITS = {
  drafts: 3,
  photosPerDraft: 12,
  storiesPerDraft: 5,
  nameLength: 80,
  speciesLength: 40,
  epitaphLength: 280,
  storyTitleLength: 120,
  /** Bytes as stored, quotes left out: `serializedLength(body) - 2`. */
  storyBytes: 12_000,
} as const;

/**
 * What the schemas still read: the limits of earlier versions (10 drafts,
 * 20 stories of 20,000 characters), so drafts saved under them are read
 * and can be trimmed rather than vanishing. A session that large is refused
 * at its next save (`SessionTooLarge`), which tells the visitor what to remove.
 */
const READABLE = { drafts: 10, storiesPerDraft: 20, storyLength: 20_000 } as const;

/** A short random id for drafts, photos and stories (not a secret; unique enough per visitor). */
export function newId(): string {
  return randomBytes(9).toString("base64url");
}

const id = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/);
/** A day (`2011-05-04`), a month (`2011-05`) or a year (`2011`): people remember dates unevenly. */
export const looseDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/);

export const photoRefSchema = z.object({
  id,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  alt: z.string().max(200),
});

export const storySchema = z.object({
  id,
  title: z.string().max(LIMITS.storyTitleLength),
  body: z.string().max(READABLE.storyLength),
  updatedAt: z.string(),
});

export const draftSchema = z.object({
  id,
  name: z.string().min(1).max(LIMITS.nameLength),
  species: z.string().max(LIMITS.speciesLength),
  born: looseDate.nullable(),
  died: looseDate.nullable(),
  epitaph: z.string().max(LIMITS.epitaphLength),
  photos: z.array(photoRefSchema).max(LIMITS.photosPerDraft),
  stories: z.array(storySchema).max(READABLE.storiesPerDraft),
  updatedAt: z.string(),
});

export type PhotoRef = z.infer<typeof photoRefSchema>;
export type Story = z.infer<typeof storySchema>;
export type Draft = z.infer<typeof draftSchema>;

/** The visitor's name, once they tell us. */
export const visitorName = sessionValue(
  "visitorName",
  z.string().trim().min(1).max(LIMITS.nameLength),
  null,
);

/** The visitor's draft memorials, newest last. */
export const drafts = sessionValue("drafts", z.array(draftSchema).max(READABLE.drafts), []);

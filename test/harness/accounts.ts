import type { Draft } from "../../lib/memorials/drafts";

/** A draft as the drafts pages keep it in the session. */
export function draft(id: string, name: string, photoIds: string[] = []): Draft {
  return {
    id,
    name,
    species: "dog",
    born: "2011",
    died: "2024-03-02",
    epitaph: `${name} was a good friend.`,
    photos: photoIds.map((photoId) => ({ id: photoId, width: 4, height: 3, alt: `${name}` })),
    stories: [
      { id: `${id}-s1`, title: "The beach", body: "Ran into every wave.", updatedAt: "2024-01-01" },
    ],
    updatedAt: "2024-04-01T10:00:00.000Z",
  };
}

/** A draft the database refuses: it lists one photo twice, and a photo's id is its primary key. */
export function unstorableDraft(id: string): Draft {
  const made = draft(id, "Twice", [`${id}-photo`]);
  return { ...made, photos: [made.photos[0]!, made.photos[0]!] };
}

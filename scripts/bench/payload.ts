import type { SessionData } from "../../lib/sessions";

/**
 * The session every benchmark stores: what a visitor writing a memorial
 * carries (a name, one draft with a story and a photo), about 700 bytes of
 * JSON, plus the counter each cycle increments. Peers store the same object.
 */
export function realisticSession(counter = 0): SessionData {
  return {
    visitorName: "Ada Lovelace",
    counter,
    drafts: [
      {
        id: "draft_k3j9x2",
        name: "Biscuit",
        species: "Border terrier",
        born: "2011-04",
        died: "2025-10-02",
        epitaph: "Chased every squirrel, caught none, loved us all the same.",
        photos: [{ id: "photo_a8d7f6", width: 1200, height: 900, alt: "Biscuit on the beach" }],
        stories: [
          {
            id: "story_q1w2e3",
            title: "The day he found the sea",
            body:
              "He ran straight in, came straight back out, looked at us as if we had " +
              "arranged the waves on purpose, and then spent the afternoon barking at " +
              "them from a safe distance. We went back every summer after that.",
            updatedAt: "2025-10-20T18:04:11.000Z",
          },
        ],
        updatedAt: "2025-10-20T18:04:11.000Z",
      },
    ],
  };
}

/** One cycle's change: the counter, incremented. */
export function nextCounter(value: unknown): number {
  return (typeof value === "number" ? value : 0) + 1;
}

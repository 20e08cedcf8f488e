import { beforeAll, describe, expect, it } from "vitest";
import type { Draft } from "../memorials/drafts";
import { draft, unstorableDraft } from "../../test/harness/accounts";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import { carryDrafts, slugFor } from "./carry";

describe.each(databaseBackends)("carrying drafts into an account ($name)", ({ fresh }) => {
  const db = useFreshDatabase(fresh);
  let ownerId: number;

  beforeAll(async () => {
    ownerId = (
      await db.client.user.create({ data: { email: "owner@example.com", passwordHash: "x" } })
    ).id;
  });

  it("turns each draft into a private memorial with its photos (same ids) and stories", async () => {
    const created = await carryDrafts(db.client, ownerId, [
      draft("draftbiscuit", "Biscuit", ["photoaaa001", "photoaaa002"]),
    ]);
    expect(created).toEqual(["draftbiscuit"]);
    const memorial = await db.client.memorial.findFirstOrThrow({
      where: { ownerId, draftId: "draftbiscuit" },
      include: { photos: { orderBy: { position: "asc" } }, stories: true },
    });
    expect(memorial).toMatchObject({ name: "Biscuit", published: false, died: "2024-03-02" });
    expect(memorial.slug).toMatch(/^biscuit-[a-z0-9]{8}$/);
    expect(memorial.photos.map((photo) => photo.id)).toEqual(["photoaaa001", "photoaaa002"]);
    expect(memorial.stories.map((story) => story.title)).toEqual(["The beach"]);
  });

  it("carrying the same drafts again adds nothing, and a draft listed twice is one memorial", async () => {
    const drafts = [
      draft("draftbiscuit", "Biscuit", ["photoaaa001"]),
      draft("draftmiso01", "Miso"),
    ];
    expect(await carryDrafts(db.client, ownerId, [...drafts, drafts[1]!])).toEqual(["draftmiso01"]);
    expect(await carryDrafts(db.client, ownerId, drafts)).toEqual([]);
    expect(await db.client.memorial.count({ where: { ownerId } })).toBe(2);
    expect(await db.client.memorialPhoto.count()).toBe(2);
  });

  it("drafts already carried into another account (a cookie replayed) come without the photos that account holds", async () => {
    const other = await db.client.user.create({
      data: { email: "replayed@example.com", passwordHash: "x" },
    });
    const drafts = [draft("draftreplay1", "Pepper", ["photorep001", "photorep002"])];
    expect(await carryDrafts(db.client, ownerId, drafts)).toHaveLength(1);
    // The same cookie, kept from before that login, now logs in to another account.
    expect(await carryDrafts(db.client, other.id, drafts)).toHaveLength(1);
    const copy = await db.client.memorial.findFirstOrThrow({
      where: { ownerId: other.id, draftId: "draftreplay1" },
      include: { photos: true },
    });
    expect(copy).toMatchObject({ name: "Pepper", photos: [] });
    const first = await db.client.memorialPhoto.findMany({
      where: { id: { startsWith: "photorep" } },
    });
    expect(first.map((photo) => photo.id).sort()).toEqual(["photorep001", "photorep002"]);
  });

  it("writes a draft named in `again` anew from its newer version, photos and all", async () => {
    const first = draft("draftagain1", "Juniper", ["photoagn001"]);
    await carryDrafts(db.client, ownerId, [first]);
    const newer = { ...draft("draftagain1", "Juniper", ["photoagn001", "photoagn002"]) };
    newer.stories = [{ ...newer.stories[0]!, body: "The last words typed before the logout." }];
    expect(await carryDrafts(db.client, ownerId, [newer])).toEqual([]);
    expect(
      await carryDrafts(db.client, ownerId, [newer], { again: new Set(["draftagain1"]) }),
    ).toEqual(["draftagain1"]);
    const memorials = await db.client.memorial.findMany({
      where: { ownerId, draftId: "draftagain1" },
      include: { photos: { orderBy: { position: "asc" } }, stories: true },
    });
    expect(memorials).toHaveLength(1);
    expect(memorials[0]!.photos.map((photo) => photo.id)).toEqual(["photoagn001", "photoagn002"]);
    expect(memorials[0]!.stories.map((story) => story.body)).toEqual([
      "The last words typed before the logout.",
    ]);
  });

  it("is all or nothing: a draft that cannot be stored leaves no memorial behind", async () => {
    await expect(
      carryDrafts(db.client, ownerId, [
        draft("draftfirst1", "First"),
        unstorableDraft("draftclash1"),
      ]),
    ).rejects.toThrow();
    expect(await db.client.memorial.count({ where: { draftId: "draftfirst1" } })).toBe(0);
  });

  it("a draft saved before control characters were refused is carried without them", async () => {
    const old = { ...draft("draftnul001", "Pip\u0000"), stories: [] } as Draft;
    old.epitaph = "Good\u0000 boy\nalways";
    old.stories.push({ id: "storynul01", title: "A\u0007", body: "one\ntwo\u0000", updatedAt: "" });
    expect(await carryDrafts(db.client, ownerId, [old])).toHaveLength(1);
    const memorial = await db.client.memorial.findFirstOrThrow({
      where: { draftId: "draftnul001" },
      include: { stories: true },
    });
    expect([memorial.name, memorial.epitaph]).toEqual(["Pip", "Good boy\nalways"]);
    expect(memorial.stories.map((story) => [story.title, story.body])).toEqual([["A", "one\ntwo"]]);
  });

  it("a story with an unreadable date is kept, dated now", async () => {
    const odd = { ...draft("draftodddate", "Odd"), stories: [] } as Draft;
    odd.stories.push({ id: "storyodd01", title: "t", body: "b", updatedAt: "yesterday-ish" });
    expect(await carryDrafts(db.client, ownerId, [odd])).toHaveLength(1);
    const story = await db.client.memorialStory.findFirstOrThrow({ where: { title: "t" } });
    expect(Math.abs(story.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe("memorial addresses", () => {
  it("are the name in plain letters plus an unguessable suffix", () => {
    expect(slugFor("Señor Whiskers!")).toMatch(/^senor-whiskers-[a-z0-9]{8}$/);
    expect(slugFor("🐾")).toMatch(/^memorial-[a-z0-9]{8}$/);
    expect(slugFor("Rex")).not.toBe(slugFor("Rex"));
  });
});

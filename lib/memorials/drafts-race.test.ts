import { describe, expect, it } from "vitest";
import { ChangeConflict } from "../sessions";
import { SessionStore as DbSessionStore } from "../sessions/engines/db";
import { withSettings } from "../sessions/testing/contract";
import { draft } from "../../test/harness/accounts";
import { freshSqliteDatabase } from "../../test/harness/databases";
import { useFreshDatabase } from "../../test/harness/vitest-databases";
import { withDraft, withStory } from "./draft-ops";
import type { Draft } from "./drafts";
import { drafts, LIMITS } from "./drafts";

/**
 * Two tabs adding at once, each within the limit on the drafts it read,
 * together beyond it: the one that saves second is refused and told, and
 * nothing of the first is lost. (Before, the second's addition was dropped
 * unseen, and its visitor landed on a "not found" page.)
 */
describe("two tabs adding beyond a limit together, on the db engine", () => {
  const state = useFreshDatabase(freshSqliteDatabase);
  const store = () => withSettings(DbSessionStore, { DATABASE_URL: state.database.url });

  /** Two requests that have both read the session saved with `list`. */
  async function twoTabs(list: Draft[]) {
    const Store = store();
    const setUp = new Store();
    await drafts.write(setUp, list);
    await setUp.save();
    const tabs = [new Store(setUp.sessionKey), new Store(setUp.sessionKey)] as const;
    await Promise.all(tabs.map((tab) => drafts.read(tab)));
    return { tabs, saved: () => drafts.read(new Store(setUp.sessionKey)) };
  }

  it("the last free draft: the second tab's save fails with ChangeConflict", async () => {
    const nine = Array.from({ length: LIMITS.drafts - 1 }, (_, i) =>
      draft(`draft-${i}`, `Pet ${i}`),
    );
    const { tabs, saved } = await twoTabs(nine);
    await drafts.change(tabs[0], (list) => withDraft(list, draft("first-draft", "Biscuit")));
    await drafts.change(tabs[1], (list) => withDraft(list, draft("second-draft", "Mog")));
    await tabs[0].save();
    await expect(tabs[1].save()).rejects.toThrow(ChangeConflict);
    const ids = (await saved()).map((each) => each.id);
    expect(ids).toHaveLength(LIMITS.drafts);
    expect(ids.at(-1)).toBe("first-draft");
  });

  it("the last free story of a draft: the same", async () => {
    const one = draft("the-draft", "Biscuit");
    const stories = Array.from({ length: LIMITS.storiesPerDraft - 1 }, (_, i) => ({
      ...one.stories[0]!,
      id: `story-${i}`,
    }));
    const { tabs, saved } = await twoTabs([{ ...one, stories }]);
    const story = (id: string) => ({ id, title: "", body: "", updatedAt: "2024-05-01" });
    for (const [tab, id] of [
      [tabs[0], "first-story"],
      [tabs[1], "second-story"],
    ] as const) {
      await drafts.change(tab, (list) => list.map((each) => withStory(each, story(id))));
    }
    await tabs[0].save();
    await expect(tabs[1].save()).rejects.toThrow(ChangeConflict);
    expect((await saved())[0]!.stories.map((each) => each.id).at(-1)).toBe("first-story");
  });
});

import { describe, expect, it } from "vitest";
import { expiryDemo } from "../how-it-works/sent-cookie";
import { BACKEND_KEY, DEVICE_KEY, HASH_KEY, USER_ID_KEY } from "../accounts/session-keys";
import { JSONSerializer } from "../sessions";
import { SessionStore as DbSessionStore } from "../sessions/engines/db";
import { DEFAULT_SESSION_MAX_SIZE } from "../sessions/settings";
import { withSettings } from "../sessions/testing/contract";
import { freshSqliteDatabase } from "../../test/harness/databases";
import { useFreshDatabase } from "../../test/harness/vitest-databases";
import { parseDetails } from "./details";
import { addPhoto, createDraft, replaceDraft } from "./draft-ops";
import type { Draft } from "./drafts";
import { drafts, LIMITS, newId, visitorName } from "./drafts";
import { newNotice, notice } from "./notice";
import type { Outcome } from "./outcome";
import { addStory, parseStory, updateStory } from "./story-ops";
import { parseVisitorName } from "./visitor-name";

/**
 * The site's own limits, every field at its most in the costliest
 * characters, must fit under SESSION_MAX_SIZE's default: an honest visitor
 * is told a limit by the site, never refused by the session's cap.
 */

/** `units` UTF-16 units of `char` (an emoji is two): what `maxLength` and zod count. */
const fill = (char: string, units: number) => char.repeat(Math.floor(units / char.length));

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

/** Every draft the limits allow, each full, through the site's own checks and operations. */
function fullDrafts(char: string): Draft[] {
  let list: Draft[] = [];
  for (let d = 0; d < LIMITS.drafts; d++) {
    const details = value(
      parseDetails({
        name: fill(char, LIMITS.nameLength),
        species: fill(char, LIMITS.speciesLength),
        born: "2011-05-04",
        died: "2024-12-31",
        epitaph: fill(char, LIMITS.epitaphLength),
      }),
    );
    const created = value(createDraft(list, details));
    let draft = created.draft;
    for (let p = 0; p < LIMITS.photosPerDraft; p++) {
      // The upload route's own alt text, and the largest dimensions it keeps.
      const photo = {
        id: newId(),
        width: 100_000,
        height: 100_000,
        alt: `A photo of ${draft.name}`,
      };
      draft = value(addPhoto(draft, photo));
    }
    for (let s = 0; s < LIMITS.storiesPerDraft; s++) {
      const added = value(addStory(draft, { title: "", body: "" }));
      const text = value(
        parseStory({
          title: fill(char, LIMITS.storyTitleLength),
          body: fill(char, LIMITS.storyBytes / 6),
        }),
      );
      draft = updateStory(added.draft, added.story.id, text);
    }
    list = replaceDraft(created.list, draft);
  }
  return list;
}

describe("the site's limits, filled to the most in the costliest characters", () => {
  const state = useFreshDatabase(freshSqliteDatabase);

  it.each([
    ["Japanese", "猫"],
    ["Arabic", "ق"],
    ["emoji (12 bytes each, as \\uD83D\\uDC36)", "🐶"],
  ])(
    "every field in %s fits under the default cap and saves through the db engine",
    async (_, char) => {
      const Store = withSettings(DbSessionStore, { DATABASE_URL: state.database.url });
      const session = new Store();
      const list = fullDrafts(char);
      await visitorName.write(session, value(parseVisitorName(fill(char, LIMITS.nameLength))));
      await drafts.write(session, list);
      await notice.write(session, newNotice(fill(char, 600)));
      await expiryDemo.write(session, {
        lifetime: "date",
        savedAt: new Date().toISOString(),
        sentCookie: fill(char, 300),
      });
      // A logged-in visitor's keys, at their longest.
      await session.set(USER_ID_KEY, String(Number.MAX_SAFE_INTEGER));
      await session.set(BACKEND_KEY, "next-auth.providers.credentials");
      await session.set(HASH_KEY, "f".repeat(128));
      await session.set(DEVICE_KEY, fill(char, 200));
      await session.setExpiry(new Date("2099-12-31T23:59:59Z"));
      await session.setTestCookie();

      const bytes = JSONSerializer.dumps(Object.fromEntries(await session.items())).length;
      // Room to spare: the site may keep a little more one day without a visitor noticing.
      expect(bytes).toBeLessThan(DEFAULT_SESSION_MAX_SIZE * 0.95);

      await session.save();
      const reopened = new Store(session.sessionKey);
      const stored = await drafts.read(reopened);
      expect(stored).toHaveLength(LIMITS.drafts);
      expect(stored.flatMap((draft) => draft.stories)).toHaveLength(
        LIMITS.drafts * LIMITS.storiesPerDraft,
      );
      expect(JSON.stringify(stored) === JSON.stringify(list)).toBe(true); // not toEqual: 200 KB diffs
    },
  );
});

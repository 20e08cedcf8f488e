import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../../test/harness/accounts";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import { SessionStore as AccountsStore } from "../accounts/session-engine";
import type { SessionStoreClass } from "../sessions";
import { SessionStore as DbStore } from "../sessions/engines/db";
import { SessionStore as FileStore } from "../sessions/engines/file";
import { withSettings } from "../sessions/testing/contract";
import { drafts } from "./drafts";
import { photoIdsIn, sweepPhotos, UnverifiableSession } from "./photo-sweep";

const HOUR = 60 * 60 * 1000;

describe.each(databaseBackends)("clearphotos ($name)", ({ fresh }) => {
  const db = useFreshDatabase(fresh);
  let uploads: string;
  let sessionDir: string;

  beforeAll(() => {
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-sweep-uploads-"));
    sessionDir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-sweep-sessions-"));
  });
  afterAll(() => {
    fs.rmSync(uploads, { recursive: true, force: true });
    fs.rmSync(sessionDir, { recursive: true, force: true });
  });

  /** A photo's files, written `ageMs` ago. */
  function photo(id: string, ageMs = 2 * HOUR) {
    const at = new Date(Date.now() - ageMs);
    for (const name of [`${id}.webp`, `${id}.thumb.webp`]) {
      fs.writeFileSync(path.join(uploads, name), "webp");
      fs.utimesSync(path.join(uploads, name), at, at);
    }
    return id;
  }
  const present = (id: string) => fs.existsSync(path.join(uploads, `${id}.webp`));

  /** A saved session of `Store` whose one draft holds `photoIds`. */
  async function sessionHolding(Store: SessionStoreClass, photoIds: string[], expiry?: number) {
    const session = new Store();
    await drafts.write(session, [draft(`draft${photoIds[0]}`, "Pip", photoIds)]);
    if (expiry !== undefined) await session.setExpiry(expiry);
    await session.save();
    return session;
  }

  async function memorialHolding(photoId: string) {
    const owner = await db.client.user.create({
      data: { email: `${photoId}@example.com`, passwordHash: "x" },
    });
    await db.client.memorial.create({
      data: {
        ownerId: owner.id,
        draftId: `d${photoId}`,
        slug: `s${photoId}`,
        name: "Mo",
        species: "cat",
        epitaph: "",
        photos: { create: { id: photoId, position: 0, width: 4, height: 3, alt: "Mo" } },
      },
    });
  }

  function sweep(engine: string, Store: SessionStoreClass) {
    return sweepPhotos({
      engine,
      Store,
      database: db.client,
      uploadsDir: uploads,
      sessionFiles: { dir: sessionDir, prefix: "sessionid" },
    });
  }

  it.each([
    ["db", () => withSettings(DbStore, { DATABASE_URL: db.database.url })],
    ["accounts", () => withSettings(AccountsStore, { DATABASE_URL: db.database.url })],
    ["file", () => withSettings(FileStore, { SESSION_FILE_PATH: sessionDir })],
  ])(
    "%s: keeps what live sessions, memorials and recent uploads hold, removes the rest",
    async (engine, makeStore) => {
      const Store = makeStore();
      const live = photo(`live-${engine}`);
      const memorial = photo(`memo-${engine}`);
      const recent = photo(`new-${engine}`, 10 * 60 * 1000);
      const orphan = photo(`orph-${engine}`);
      const expired = photo(`gone-${engine}`);
      await sessionHolding(Store, [live]);
      await memorialHolding(memorial);
      // Expired a second after it was saved: its photo is no longer anyone's.
      const ended = await sessionHolding(Store, [expired], 1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const interrupted = path.join(uploads, `half${engine}.webp.1234.tmp`);
      fs.writeFileSync(interrupted, "half");
      fs.utimesSync(interrupted, new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 2 * HOUR));

      const result = await sweep(engine, Store);

      expect([live, memorial, recent].map(present)).toEqual([true, true, true]);
      expect([orphan, expired].map(present)).toEqual([false, false]);
      expect(fs.existsSync(path.join(uploads, `${orphan}.thumb.webp`))).toBe(false);
      expect(fs.existsSync(interrupted)).toBe(false);
      expect(result.removed).toBeGreaterThanOrEqual(5);
      expect(ended.sessionKey).not.toBeNull();
    },
  );

  const OLD_KEY = "an older key, still listed in the fallbacks during a rotation 0123456789";

  it.each([
    [
      "db",
      (settings: object) => withSettings(DbStore, { DATABASE_URL: db.database.url, ...settings }),
    ],
    [
      "accounts",
      (settings: object) =>
        withSettings(AccountsStore, { DATABASE_URL: db.database.url, ...settings }),
    ],
    [
      "file",
      (settings: object) => withSettings(FileStore, { SESSION_FILE_PATH: sessionDir, ...settings }),
    ],
  ])(
    "%s: a session signed under a key it lacks stops the sweep before anything is removed",
    async (engine, makeStore) => {
      const held = photo(`rot-${engine}`);
      const orphan = photo(`rotorph-${engine}`);
      const session = await sessionHolding(makeStore({ SECRET_KEY: OLD_KEY }), [held]);

      // The new key without the old one among its fallbacks: a rotation's missing fallback.
      await expect(sweep(engine, makeStore({}))).rejects.toThrow(UnverifiableSession);
      await expect(sweep(engine, makeStore({}))).rejects.toThrow(
        /^clearphotos: a session could not be verified .*nothing was removed/,
      );
      expect([held, orphan].map(present)).toEqual([true, true]);

      // With the fallback listed, the same session is read and its photo kept.
      await sweep(engine, makeStore({ SECRET_KEY_FALLBACKS: [OLD_KEY] }));
      expect([held, orphan].map(present)).toEqual([true, false]);
      await session.destroy();
    },
  );

  it("a corrupt session row stops the sweep, and nothing is removed", async () => {
    const orphan = photo("corruptorph");
    const Store = withSettings(DbStore, { DATABASE_URL: db.database.url });
    const session = await sessionHolding(Store, [photo("corruptheld")]);
    await db.client.session.update({
      where: { sessionKey: session.sessionKey! },
      data: { sessionData: "not:a:signed:value" },
    });
    await expect(sweep("db", Store)).rejects.toThrow(UnverifiableSession);
    expect(present(orphan)).toBe(true);
    await new Store(session.sessionKey).destroy();
  });

  it("refuses engines whose sessions cannot be listed, and removes nothing", async () => {
    const orphan = photo("orphcache");
    await expect(sweep("cache", DbStore)).rejects.toThrow(/cannot be listed/);
    await expect(sweep("signed_cookies", DbStore)).rejects.toThrow(/cannot be listed/);
    expect(present(orphan)).toBe(true);
  });
});

describe("photoIdsIn", () => {
  it("finds every photo reference, even in drafts that no longer match the schema", () => {
    expect(
      photoIdsIn({
        drafts: [
          { photos: [{ id: "aaaaaa" }, { id: 7 }, null] },
          { name: "no photos" },
          "not a draft",
          { photos: [{ id: "bbbbbb", extra: true }] },
        ],
      }),
    ).toEqual(["aaaaaa", "bbbbbb"]);
    expect(photoIdsIn({})).toEqual([]);
    expect(photoIdsIn({ drafts: "nonsense" })).toEqual([]);
  });
});

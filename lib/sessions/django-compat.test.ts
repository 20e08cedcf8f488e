import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFor } from "@/lib/db/client";
import type { TestDatabase } from "@/test/harness/databases";
import { freshSqliteDatabase } from "@/test/harness/databases";
import type { DjangoRequest } from "@/test/harness/django";
import { django } from "@/test/harness/django";
import type { SessionStoreClass } from "./engine";
import { getSessionStore } from "./engine";
import type { Settings } from "../settings";
import { withSettings } from "./testing/contract";

/**
 * Wire compatibility with a real Django (Debian's python3-django): the same
 * SECRET_KEY and the same store, and each side reads what the other wrote.
 */
const SECRET_KEY = "django-compat-test-key-0123456789-abcdefghijklmnopqrstuvwxyz!@#";
const PET = {
  name: "Biscuit",
  species: "dog",
  born: 2011,
  epitaph: "Bon voyage, mon cœur 🐾",
  tags: ["good", null, true],
};

interface Peer {
  Store: SessionStoreClass;
  request: Omit<DjangoRequest, "op">;
}

function compatibility(
  name: string,
  setup: () => Promise<Peer & { teardown(): Promise<void> }>,
  { serverSide = true } = {},
) {
  describe(`${name}: Django and this library read each other's sessions`, () => {
    let peer: Peer & { teardown(): Promise<void> };
    beforeAll(async () => {
      peer = await setup();
    });
    afterAll(async () => {
      await peer.teardown();
    });

    it("reads a session Django wrote", async () => {
      const { key } = await django({
        ...peer.request,
        op: "write",
        data: { pet: PET, visitor: "Zoë" },
      });
      const session = new peer.Store(key);
      expect(await session.get("pet")).toEqual(PET);
      expect(await session.get("visitor")).toBe("Zoë");
    });

    it("writes a session Django reads", async () => {
      const session = new peer.Store();
      await session.update({ pet: PET, visitor: "Zoë" });
      await session.save();
      const read = await django({ ...peer.request, op: "read", key: session.sessionKey! });
      expect(read.data).toEqual({ pet: PET, visitor: "Zoë" });
    });

    it("writes a large session compressed, and Django reads it", async () => {
      const stories = Array.from({ length: 40 }, (_, i) => `Story ${i}: ${PET.epitaph}`);
      const session = new peer.Store();
      await session.update({ pet: PET, stories });
      // Compressed (a leading "."), as Django compresses, from 2 KiB of JSON; small ones are not.
      expect(session.encode({ pet: PET, stories })).toMatch(/^\./);
      expect(session.encode({ pet: PET })).not.toMatch(/^\./);
      await session.save();
      const read = await django({ ...peer.request, op: "read", key: session.sessionKey! });
      expect(read.data).toEqual({ pet: PET, stories });
    });

    it.runIf(serverSide)(
      "writes a session near the size cap, deflated at zlib's fastest level, and Django reads it",
      async () => {
        const stories = Array.from({ length: 30 }, (_, i) => `${i}: ${"思い出".repeat(380)}`);
        const session = new peer.Store();
        await session.update({ pet: PET, stories });
        await session.save();
        const read = await django({ ...peer.request, op: "read", key: session.sessionKey! });
        expect(read.data).toEqual({ pet: PET, stories });
      },
    );

    it.runIf(serverSide)(
      "reads a session Django wrote past SESSION_MAX_SIZE as empty, and replaces it on save",
      async () => {
        const { key } = await django({
          ...peer.request,
          op: "write",
          data: { story: "猫".repeat(50_000) },
        });
        const session = new peer.Store(key);
        expect(await session.items()).toEqual([]);
        await session.set("x", 1);
        await session.save();
        const read = await django({ ...peer.request, op: "read", key: session.sessionKey! });
        expect(read.data).toEqual({ x: 1 });
      },
    );

    it("agrees on a per-session expiry in seconds", async () => {
      const session = new peer.Store();
      await session.set("x", 1);
      await session.setExpiry(3600);
      await session.save();
      const read = await django({ ...peer.request, op: "read", key: session.sessionKey! });
      expect(read.data).toEqual({ x: 1, _session_expiry: 3600 });
      const { key } = await django({ ...peer.request, op: "write", data: { y: 2 }, expiry: 3600 });
      expect(await new peer.Store(key).getExpiryAge()).toBe(3600);
    });

    // Django checks a signed cookie's age only, not the expiry inside it; we do more (see the engine).
    it.runIf(serverSide)("agrees that a session which expired seconds ago is gone", async () => {
      const ours = new peer.Store();
      await ours.set("x", 1);
      // In seconds: Django before 4.1 cannot read an expiry stored as a date (setExpiry(Date)).
      await ours.setExpiry(-5);
      await ours.save();
      const read = await django({ ...peer.request, op: "read", key: ours.sessionKey! });
      expect(read.data).toEqual({});
      const { key } = await django({ ...peer.request, op: "write", data: { y: 2 }, expiry: -5 });
      expect(await new peer.Store(key).items()).toEqual([]);
    });

    it("rejects what Django signed with another secret, and Django rejects ours", async () => {
      const other = { ...peer.request, secret_key: `${SECRET_KEY}-other` };
      const { key } = await django({ ...other, op: "write", data: { x: 1 } });
      expect(await new peer.Store(key).items()).toEqual([]);
      const ours = new peer.Store();
      await ours.set("x", 1);
      await ours.save();
      expect((await django({ ...other, op: "read", key: ours.sessionKey! })).data).toEqual({});
    });
  });
}

async function bind(engine: string, settings: Partial<Settings>) {
  return withSettings(await getSessionStore(engine), {
    SECRET_KEY,
    SECRET_KEY_FALLBACKS: [],
    ...settings,
  });
}

compatibility("db (SQLite)", async () => {
  const database: TestDatabase = await freshSqliteDatabase();
  return {
    Store: await bind("db", { DATABASE_URL: database.url }),
    request: { engine: "db", secret_key: SECRET_KEY, database: database.url.slice("file:".length) },
    teardown: async () => {
      await databaseFor(database.url).$disconnect();
      await database.drop();
    },
  };
});

compatibility("file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-django-files-"));
  return {
    Store: await bind("file", { SESSION_FILE_PATH: dir, SESSION_COOKIE_NAME: "sessionid" }),
    request: { engine: "file", secret_key: SECRET_KEY, file_path: dir, cookie_name: "sessionid" },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

compatibility(
  "signed_cookies",
  async () => ({
    Store: await bind("signed_cookies", {}),
    request: { engine: "signed_cookies", secret_key: SECRET_KEY },
    teardown: async () => {},
  }),
  { serverSide: false },
);

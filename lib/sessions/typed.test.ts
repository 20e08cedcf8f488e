import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UnserializableValue } from "./errors";
import { captureSessionLog } from "./testing/log-capture";
import { SessionStore as MemoryStore } from "./testing/memory-engine";
import { sessionValue } from "./typed";

const drafts = sessionValue(
  "drafts",
  z.array(z.object({ name: z.string().min(1), species: z.enum(["dog", "cat", "other"]) })),
  [],
);

describe("sessionValue", () => {
  it("reads the fallback when the key is missing", async () => {
    expect(await drafts.read(new MemoryStore())).toEqual([]);
  });

  it("writes and reads back a valid value", async () => {
    const session = new MemoryStore();
    await drafts.write(session, [{ name: "Biscuit", species: "dog" }]);
    await session.save();
    expect(await drafts.read(new MemoryStore(session.sessionKey))).toEqual([
      { name: "Biscuit", species: "dog" },
    ]);
  });

  it("reads stale or foreign data as the fallback, with a log line, instead of crashing", async () => {
    const session = new MemoryStore();
    await session.set("drafts", [{ name: "Biscuit", species: "dragon" }]);
    const log = captureSessionLog();
    try {
      expect(await drafts.read(session)).toEqual([]);
      expect(log.lines()).toEqual([
        expect.stringContaining('Session value "drafts" does not match its schema'),
      ]);
    } finally {
      log.restore();
    }
  });

  it("refuses to write a value that does not match the schema", async () => {
    const session = new MemoryStore();
    await expect(drafts.write(session, [{ name: "", species: "dog" }])).rejects.toThrow(z.ZodError);
    expect(await session.has("drafts")).toBe(false);
  });

  it("refuses values JSON cannot carry even when the schema would accept them", async () => {
    const anything = sessionValue("anything", z.any(), null);
    await expect(anything.write(new MemoryStore(), new Date())).rejects.toThrow(
      UnserializableValue,
    );
  });

  it("changes the value from the one another request saved meanwhile, keeping both changes", async () => {
    const first = new MemoryStore();
    await drafts.write(first, [{ name: "Biscuit", species: "dog" }]);
    await first.save();
    const [tab, otherTab] = [new MemoryStore(first.sessionKey), new MemoryStore(first.sessionKey)];
    await Promise.all([drafts.read(tab), drafts.read(otherTab)]);
    await drafts.change(tab, (list) => [...list, { name: "Mog", species: "cat" }]);
    await drafts.change(otherTab, (list) =>
      list.map((pet) => ({ ...pet, name: pet.name.toUpperCase() })),
    );
    await tab.save();
    await otherTab.save();
    expect(await drafts.read(new MemoryStore(first.sessionKey))).toEqual([
      { name: "BISCUIT", species: "dog" },
      { name: "MOG", species: "cat" },
    ]);
  });

  it("refuses a change whose result does not match the schema", async () => {
    const session = new MemoryStore();
    await expect(drafts.change(session, () => [{ name: "", species: "dog" }])).rejects.toThrow(
      z.ZodError,
    );
    expect(await session.has("drafts")).toBe(false);
  });

  it("removes the value, and removing a missing one is fine", async () => {
    const session = new MemoryStore();
    await drafts.write(session, [{ name: "Tom", species: "cat" }]);
    await drafts.remove(session);
    await drafts.remove(session);
    expect(await session.has("drafts")).toBe(false);
  });
});

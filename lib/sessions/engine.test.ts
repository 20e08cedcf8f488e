import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getSessionStore, registerSessionEngine } from "./engine";
import { ImproperlyConfigured } from "./errors";
import { sessionContract } from "./testing/contract";
import { memoryStorage, SessionStore as MemoryStore } from "./testing/memory-engine";

const MEMORY_ENGINE = path.join(import.meta.dirname, "testing", "memory-engine.ts");

sessionContract("a custom engine loaded by module path", "server", async () => ({
  Store: await getSessionStore(path.relative(process.cwd(), MEMORY_ENGINE)),
  settings: {},
}));

describe("getSessionStore", () => {
  it.each([
    ["db", "db"],
    ["cache", "cache"],
    ["cached_db", "cached-db"],
    ["file", "file"],
    ["signed_cookies", "signed-cookies"],
    ["encrypted_cookies", "encrypted-cookies"],
  ])("maps the built-in name %s to engines/%s.ts", async (name, file) => {
    const module = (await import(`./engines/${file}.ts`)) as { SessionStore: unknown };
    expect(await getSessionStore(name)).toBe(module.SessionStore);
  });

  it("uses SESSION_ENGINE when no name is given", async () => {
    expect(await getSessionStore()).toBe(await getSessionStore("db"));
  });

  it("finds an engine registered by name", async () => {
    registerSessionEngine("memory", MemoryStore);
    expect(await getSessionStore("memory")).toBe(MemoryStore);
  });

  it("names SESSION_ENGINE when the engine cannot be found", async () => {
    await expect(getSessionStore("nosuchengine")).rejects.toThrow(ImproperlyConfigured);
    await expect(getSessionStore("nosuchengine")).rejects.toThrow(
      /^sessions: SESSION_ENGINE: "nosuchengine" is neither a built-in engine/,
    );
  });

  it("refuses a module that does not export SessionStore", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-engine-"));
    const module = path.join(dir, "not-an-engine.mjs");
    fs.writeFileSync(module, "export const somethingElse = 1;\n");
    try {
      await expect(getSessionStore(module)).rejects.toThrow(
        `sessions: SESSION_ENGINE: module "${module}" does not export SessionStore`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("lazy loading", () => {
  it("a session that nothing reads never touches the store", async () => {
    const before = memoryStorage.reads;
    const session = new MemoryStore("abcdefgh12345678abcdefgh12345678");
    expect(session.isEmpty()).toBe(false);
    session.clear();
    expect(memoryStorage.reads).toBe(before);
  });

  it("reads racing before the first load share one load", async () => {
    const saved = new MemoryStore();
    await saved.set("x", 1);
    await saved.save();
    const before = memoryStorage.reads;
    const session = new MemoryStore(saved.sessionKey);
    const values = await Promise.all([session.get("x"), session.has("x"), session.keys()]);
    expect(values).toEqual([1, true, ["x"]]);
    expect(memoryStorage.reads - before).toBe(1);
  });
});

describe("a store that fails", () => {
  it("lets a later read try again after a failed load", async () => {
    const saved = new MemoryStore();
    await saved.set("x", 1);
    await saved.save();
    const session = new MemoryStore(saved.sessionKey);
    const read = memoryStorage.read.bind(memoryStorage);
    memoryStorage.read = async () => {
      throw new Error("store unavailable");
    };
    try {
      await expect(session.get("x")).rejects.toThrow("store unavailable");
    } finally {
      memoryStorage.read = read;
    }
    expect(await session.get("x")).toBe(1);
  });
});

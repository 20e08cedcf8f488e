import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { STALE_LOCK_MS, withFileLock } from "./file-lock";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-file-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the lock of a session file", () => {
  it("waits for a lock another process holds, and takes it once released", async () => {
    const file = path.join(dir, "held");
    fs.writeFileSync(`${file}.lock`, "");
    const order: string[] = [];
    setTimeout(() => {
      order.push("released");
      fs.unlinkSync(`${file}.lock`);
    }, 150);
    await withFileLock(file, async () => {
      order.push("ran");
    });
    expect(order).toEqual(["released", "ran"]);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("breaks a lock left behind by a process that died holding it", async () => {
    const file = path.join(dir, "stale");
    fs.writeFileSync(`${file}.lock`, "");
    const past = new Date(Date.now() - STALE_LOCK_MS - 1000);
    fs.utimesSync(`${file}.lock`, past, past);
    expect(await withFileLock(file, async () => "ran")).toBe("ran");
  });

  it("releases the lock when the task fails", async () => {
    const file = path.join(dir, "failing");
    await expect(
      withFileLock(file, async () => {
        throw new Error("task failed");
      }),
    ).rejects.toThrow("task failed");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("a writer's data lands by renaming the lock file over the session file, leaving no lock", async () => {
    const file = path.join(dir, "published");
    fs.writeFileSync(file, "old");
    await withFileLock(file, async (lock) => {
      await lock.write("new");
      expect(fs.readFileSync(file, "ascii")).toBe("old");
      await lock.publish();
    });
    expect(fs.readFileSync(file, "ascii")).toBe("new");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("data written but not published never lands, and the lock goes", async () => {
    const file = path.join(dir, "unpublished");
    fs.writeFileSync(file, "old");
    await withFileLock(file, (lock) => lock.write("new"));
    await expect(
      withFileLock(file, async (lock) => {
        await lock.write("newer");
        throw new Error("task failed after writing");
      }),
    ).rejects.toThrow("task failed after writing");
    expect(fs.readFileSync(file, "ascii")).toBe("old");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("a lock left holding a dead writer's data is broken, and that data never lands", async () => {
    const file = path.join(dir, "dead-writer");
    fs.writeFileSync(file, "old");
    fs.writeFileSync(`${file}.lock`, "half-writ");
    const past = new Date(Date.now() - STALE_LOCK_MS - 1000);
    fs.utimesSync(`${file}.lock`, past, past);
    await withFileLock(file, async () => undefined);
    expect(fs.readFileSync(file, "ascii")).toBe("old");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

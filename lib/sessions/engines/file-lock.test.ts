import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
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

  it("a stale lock that cannot be removed is an error once the wait is over, not a hang", async () => {
    const file = path.join(dir, "stuck");
    // A directory in the lock's place: old enough to break, and unlink refuses it (EISDIR or EPERM).
    fs.mkdirSync(`${file}.lock`);
    const past = new Date(Date.now() - STALE_LOCK_MS - 1000);
    fs.utimesSync(`${file}.lock`, past, past);
    await expect(withFileLock(file, async () => "ran")).rejects.toThrow(
      /locked for .* ms \(a stale lock could not be removed: E[A-Z]+\)/,
    );
  }, 20_000);

  it("releases the lock when the task fails", async () => {
    const file = path.join(dir, "failing");
    await expect(
      withFileLock(file, async () => {
        throw new Error("task failed");
      }),
    ).rejects.toThrow("task failed");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("a writer takes the lock with its own file, and waits for an empty lock another process holds", async () => {
    const file = path.join(dir, "writer");
    const mine = `${file}_out_mine`;
    fs.writeFileSync(mine, "new data");
    fs.writeFileSync(`${file}.lock`, "");
    setTimeout(() => fs.unlinkSync(`${file}.lock`), 150);
    const held = await withFileLock(
      file,
      async () => fs.statSync(`${file}.lock`).ino === fs.statSync(mine).ino,
      mine,
    );
    expect(held).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(fs.readFileSync(mine, "ascii")).toBe("new data");
  });

  it("a writer's stale lock is broken like an empty one", async () => {
    const file = path.join(dir, "stale-writer");
    fs.writeFileSync(`${file}.lock`, "a dead writer's data");
    const past = new Date(Date.now() - STALE_LOCK_MS - 1000);
    fs.utimesSync(`${file}.lock`, past, past);
    fs.writeFileSync(`${file}_out_mine`, "new data");
    expect(await withFileLock(file, async () => "ran", `${file}_out_mine`)).toBe("ran");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("on a file system without hard links, a writer's lock is an empty file", async () => {
    const file = path.join(dir, "no-links");
    fs.writeFileSync(`${file}_out_mine`, "new data");
    const refuse = Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    // The real file system, with `link` answering as FAT or some network mounts do.
    const link = vi.spyOn(fs.promises, "link").mockRejectedValue(refuse);
    try {
      const lock = await withFileLock(
        file,
        async () => fs.readFileSync(`${file}.lock`, "ascii"),
        `${file}_out_mine`,
      );
      expect(lock).toBe("");
      expect(link).toHaveBeenCalledTimes(1);
    } finally {
      link.mockRestore();
    }
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

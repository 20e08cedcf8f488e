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
});

import { describe, expect, it } from "vitest";
import { PhotoQueue } from "./photo-queue";

/** A task that runs until `finish` is called, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    finish: () => finish(),
  };
}

describe("PhotoQueue", () => {
  it("admits as many uploads as it has workers and waiting places, and no more", () => {
    const queue = new PhotoQueue(1, 2);
    const places = [queue.admit(), queue.admit(), queue.admit()];
    expect(places.every(Boolean)).toBe(true);
    expect(queue.admit()).toBeNull();
    places[0]!.leave();
    places[0]!.leave(); // a second leave does not free a second place
    expect(queue.admit()).not.toBeNull();
    expect(queue.admit()).toBeNull();
  });

  it("runs no more photos at once than it has workers, in order of arrival", async () => {
    const queue = new PhotoQueue(2, 10);
    const log: string[] = [];
    const gates = ["a", "b", "c", "d"].map((name) => gate(log, name));
    const runs = gates.map((each) => queue.run(each.work));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["start a", "start b"]);
    expect(queue.load.running).toBe(2);
    gates[1]!.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["start a", "start b", "end b", "start c"]);
    for (const each of gates) each.finish();
    await Promise.all(runs);
    expect(log.filter((line) => line.startsWith("start"))).toEqual([
      "start a",
      "start b",
      "start c",
      "start d",
    ]);
    expect(queue.load.running).toBe(0);
  });

  it("frees the worker of a photo whose work failed", async () => {
    const queue = new PhotoQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error("bad photo")))).rejects.toThrow(
      "bad photo",
    );
    await expect(queue.run(async () => "next")).resolves.toBe("next");
  });
});

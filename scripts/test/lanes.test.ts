import { describe, expect, it } from "vitest";
import { inLanes, linePrefixer } from "./lanes";

/** A task that records when it runs, and finishes when `release` is called for it. */
function gatedTasks(count: number) {
  const running = new Set<number>();
  const log: string[] = [];
  let most = 0;
  const gates: (() => void)[] = [];
  const tasks = Array.from({ length: count }, (_, index) => async () => {
    running.add(index);
    most = Math.max(most, running.size);
    log.push(`start ${index}`);
    await new Promise<void>((resolve) => (gates[index] = resolve));
    running.delete(index);
    log.push(`end ${index}`);
    return index * 10;
  });
  const release = async (index: number) => {
    while (!gates[index]) await new Promise((resolve) => setImmediate(resolve));
    gates[index]!();
  };
  return { tasks, log, release, most: () => most };
}

describe("inLanes", () => {
  it("runs at most `lanes` tasks at once, starting the next as one finishes, results in order", async () => {
    const { tasks, log, release, most } = gatedTasks(4);
    const all = inLanes(tasks, 2);
    await release(1);
    await release(0);
    await release(3);
    await release(2);
    expect(await all).toEqual([0, 10, 20, 30]);
    expect(most()).toBe(2);
    // Each task started as soon as a lane was free: task 2 when task 1 ended, task 3 when task 0 did.
    expect(log).toEqual([
      ...["start 0", "start 1", "end 1", "start 2"],
      ...["end 0", "start 3", "end 3", "end 2"],
    ]);
  });

  it("runs one at a time with one lane", async () => {
    const { tasks, release, most } = gatedTasks(3);
    const all = inLanes(tasks, 1);
    for (const index of [0, 1, 2]) await release(index);
    expect(await all).toEqual([0, 10, 20]);
    expect(most()).toBe(1);
  });

  it("lets the other lanes finish, then throws the first error", async () => {
    const finished: number[] = [];
    const tasks = [
      async () => {
        throw new Error("the first lane broke");
      },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished.push(1);
        return 1;
      },
      async () => (finished.push(2), 2),
    ];
    await expect(inLanes(tasks, 2)).rejects.toThrow("the first lane broke");
    expect(finished).toEqual([1, 2]);
  });

  it("refuses a number of lanes that is not a positive whole number", async () => {
    for (const lanes of [0, -1, 1.5, Number.NaN])
      await expect(inLanes([async () => 1], lanes)).rejects.toThrow(RangeError);
  });
});

describe("linePrefixer", () => {
  it("prefixes whole lines, however the output was cut into chunks", () => {
    const written: string[] = [];
    const lines = linePrefixer("[server] ", (text) => written.push(text));
    lines.push("first li");
    lines.push("ne\nsecond\nthi");
    expect(written).toEqual(["[server] first line\n", "[server] second\n"]);
    lines.push("rd");
    lines.end();
    expect(written.at(-1)).toBe("[server] third\n");
    lines.end();
    expect(written).toHaveLength(3);
  });
});

import { describe, expect, it } from "vitest";
import { BoundedMemo } from "./memo";

describe("BoundedMemo", () => {
  it("makes a value once per key and keeps it", () => {
    const memo = new BoundedMemo<{ key: string }>(4);
    let made = 0;
    const make = (key: string) => () => ({ key, made: ++made });
    const first = memo.get("a", make("a"));
    expect(memo.get("a", make("a"))).toBe(first);
    expect(memo.get("b", make("b"))).not.toBe(first);
    expect(made).toBe(2);
  });

  it("empties itself at its limit instead of growing without end", () => {
    const memo = new BoundedMemo<number>(3);
    let made = 0;
    for (const key of ["a", "b", "c", "d"]) memo.get(key, () => ++made);
    // "d" found three entries and emptied the memo: "a" is made again, "d" is still kept.
    expect(memo.get("d", () => ++made)).toBe(4);
    expect(memo.get("a", () => ++made)).toBe(5);
  });
});

import { describe, expect, it } from "vitest";
import { atLeast, atMost, formatNumber, median, percentile, summarize, timeRatio } from "./stats";

describe("bench statistics", () => {
  it("takes percentiles by nearest rank, whatever the order of the samples", () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(values, 101)).toThrow(/0–100/);
  });

  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("summarizes a million operations (more than Math.max(...) takes as arguments)", () => {
    const round = Array.from({ length: 500_000 }, (_, i) => (i === 1234 ? 9 : 0.01));
    const summary = summarize([round, round]);
    expect(summary.max).toBe(9);
    expect(summary.operations).toBe(1_000_000);
  });

  it("summarizes rounds by the median round's throughput, so one slow round does not move it", () => {
    // Each round: 10 operations of 1 ms (1000 ops/s), except one round slowed to 10 ms each.
    const fast = Array.from({ length: 10 }, () => 1);
    const slow = Array.from({ length: 10 }, () => 10);
    const summary = summarize([fast, fast, slow, fast, fast]);
    expect(summary.opsPerSecond).toBe(1000);
    expect(summary.operations).toBe(50);
    expect(summary.p50).toBe(1);
    expect(summary.p99).toBe(10);
    expect(summary.max).toBe(10);
  });

  it("states a time ratio: 1.25 when the subject does 80% of the baseline's operations", () => {
    const baseline = summarize([[1, 1, 1, 1]]);
    const subject = summarize([[1.25, 1.25, 1.25, 1.25]]);
    expect(timeRatio(subject, baseline)).toBeCloseTo(1.25, 10);
    expect(timeRatio(baseline, baseline)).toBe(1);
  });

  it("says met or not met, and never calls a missing measurement met", () => {
    expect(atMost(1.2, 1.25)).toEqual({ met: true, text: "met (≤ 1.25)" });
    expect(atMost(1.3, 1.25).met).toBe(false);
    expect(atMost(Number.NaN, 1.25).met).toBe(false);
    expect(atLeast(0.9, 0.85)).toEqual({ met: true, text: "met (≥ 0.85)" });
    expect(atLeast(0.8, 0.85).text).toBe("not met (≥ 0.85)");
    expect(atLeast(Number.NaN, 0.85).met).toBe(false);
  });

  it("formats numbers for tables", () => {
    expect(formatNumber(12345.6)).toBe("12,346");
    expect(formatNumber(1.23456)).toBe("1.23");
    expect(formatNumber(0.012345)).toBe("0.0123");
    expect(formatNumber(Number.NaN)).toBe("–");
  });
});

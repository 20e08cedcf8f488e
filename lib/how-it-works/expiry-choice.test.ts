import { describe, expect, it } from "vitest";
import {
  INACTIVITY_SECONDS,
  MAX_DAYS_AHEAD,
  parseExpiryChoice,
  PROBLEMS,
  problemFrom,
} from "./expiry-choice";

const now = new Date("2026-11-30T12:00:00Z");

describe("parseExpiryChoice", () => {
  it("maps each plain choice to its setExpiry value", () => {
    expect(parseExpiryChoice({ lifetime: "default" }, now)).toEqual({
      ok: true,
      lifetime: "default",
      expiry: null,
    });
    expect(parseExpiryChoice({ lifetime: "browser" }, now)).toMatchObject({ expiry: 0 });
    expect(parseExpiryChoice({ lifetime: "hour" }, now)).toMatchObject({
      expiry: INACTIVITY_SECONDS,
    });
  });

  it("ends a chosen day at its last second, UTC", () => {
    expect(parseExpiryChoice({ lifetime: "date", until: "2027-03-14" }, now)).toEqual({
      ok: true,
      lifetime: "date",
      expiry: new Date("2027-03-14T23:59:59Z"),
    });
  });

  it("accepts today, which has not ended yet", () => {
    expect(parseExpiryChoice({ lifetime: "date", until: "2026-11-30" }, now)).toMatchObject({
      ok: true,
    });
  });

  it("refuses a day that has passed", () => {
    const result = parseExpiryChoice({ lifetime: "date", until: "2026-11-29" }, now);
    expect(result).toEqual({ ok: false, problem: "past" });
  });

  it(`refuses a day more than ${MAX_DAYS_AHEAD} days ahead`, () => {
    const result = parseExpiryChoice({ lifetime: "date", until: "2028-01-15" }, now);
    expect(result).toEqual({ ok: false, problem: "too-far" });
  });

  it("refuses a day that is not on the calendar", () => {
    const result = parseExpiryChoice({ lifetime: "date", until: "2027-02-30" }, now);
    expect(result).toEqual({ ok: false, problem: "not-a-day" });
  });

  it("refuses a missing or malformed date", () => {
    for (const until of [undefined, "", "tomorrow", "2027-3-4", 20270304]) {
      expect(parseExpiryChoice({ lifetime: "date", until }, now)).toEqual({
        ok: false,
        problem: "no-date",
      });
    }
  });

  it("refuses an unknown choice, or none", () => {
    expect(parseExpiryChoice({ lifetime: "forever" }, now)).toEqual({
      ok: false,
      problem: "no-choice",
    });
    expect(parseExpiryChoice({}, now)).toEqual({ ok: false, problem: "no-choice" });
  });

  it("has a message for every problem, and ignores codes it does not know", () => {
    expect(problemFrom("past")).toBe("past");
    expect(PROBLEMS.past).toContain("already passed");
    expect(problemFrom("<script>")).toBeNull();
    expect(problemFrom("toString")).toBeNull();
    expect(problemFrom(undefined)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import {
  expiryOffers,
  INACTIVITY_SECONDS,
  longestLifetime,
  MAX_DAYS_AHEAD,
  parseExpiryChoice,
  problemFrom,
  problemMessage,
} from "./expiry-choice";

const now = new Date("2026-11-30T12:00:00Z");
/** Django's default SESSION_COOKIE_AGE: two weeks. */
const TWO_WEEKS = 1_209_600;
/** An age past what browsers keep: the 400 days bound the choice instead. */
const TWO_YEARS = 2 * 365 * 86_400;
const parse = (fields: { lifetime?: unknown; until?: unknown }, cookieAge = TWO_YEARS) =>
  parseExpiryChoice(fields, cookieAge, now);

describe("parseExpiryChoice", () => {
  it("maps each plain choice to its setExpiry value", () => {
    expect(parse({ lifetime: "default" })).toEqual({
      ok: true,
      lifetime: "default",
      expiry: null,
    });
    expect(parse({ lifetime: "browser" })).toMatchObject({ expiry: 0 });
    expect(parse({ lifetime: "hour" })).toMatchObject({ expiry: INACTIVITY_SECONDS });
  });

  it("ends a chosen day at its last second, UTC", () => {
    expect(parse({ lifetime: "date", until: "2027-03-14" })).toEqual({
      ok: true,
      lifetime: "date",
      expiry: new Date("2027-03-14T23:59:59Z"),
    });
  });

  it("accepts today, which has not ended yet", () => {
    expect(parse({ lifetime: "date", until: "2026-11-30" }, TWO_WEEKS)).toMatchObject({
      ok: true,
    });
  });

  it("refuses a day that has passed", () => {
    expect(parse({ lifetime: "date", until: "2026-11-29" })).toEqual({
      ok: false,
      problem: "past",
    });
  });

  it(`refuses a day more than ${MAX_DAYS_AHEAD} days ahead, whatever SESSION_COOKIE_AGE says`, () => {
    expect(parse({ lifetime: "date", until: "2028-01-15" })).toEqual({
      ok: false,
      problem: "too-far",
    });
  });

  it("refuses a day that ends after SESSION_COOKIE_AGE, as a hand-made post would send", () => {
    // Two weeks from noon on 30 November is noon on 14 December: the 13th ends within them.
    expect(parse({ lifetime: "date", until: "2026-12-13" }, TWO_WEEKS)).toMatchObject({ ok: true });
    expect(parse({ lifetime: "date", until: "2026-12-14" }, TWO_WEEKS)).toEqual({
      ok: false,
      problem: "too-far",
    });
    expect(parse({ lifetime: "date", until: "2027-12-31" }, TWO_WEEKS)).toEqual({
      ok: false,
      problem: "too-far",
    });
  });

  it("refuses the hour when SESSION_COOKIE_AGE is shorter", () => {
    expect(parse({ lifetime: "hour" }, 600)).toEqual({ ok: false, problem: "hour-too-long" });
    expect(parse({ lifetime: "hour" }, INACTIVITY_SECONDS)).toMatchObject({ ok: true });
  });

  it("refuses a day that is not on the calendar", () => {
    expect(parse({ lifetime: "date", until: "2027-02-30" })).toEqual({
      ok: false,
      problem: "not-a-day",
    });
  });

  it("refuses a missing or malformed date", () => {
    for (const until of [undefined, "", "tomorrow", "2027-3-4", 20270304]) {
      expect(parse({ lifetime: "date", until })).toEqual({ ok: false, problem: "no-date" });
    }
  });

  it("refuses an unknown choice, or none", () => {
    expect(parse({ lifetime: "forever" })).toEqual({ ok: false, problem: "no-choice" });
    expect(parse({})).toEqual({ ok: false, problem: "no-choice" });
  });
});

describe("expiryOffers", () => {
  it("offers days up to the last that ends within SESSION_COOKIE_AGE", () => {
    expect(expiryOffers(TWO_WEEKS, now)).toEqual({
      hour: true,
      today: "2026-11-30",
      latestDay: "2026-12-13",
    });
  });

  it(`never offers a day more than ${MAX_DAYS_AHEAD} days ahead`, () => {
    expect(longestLifetime(TWO_YEARS)).toBe(MAX_DAYS_AHEAD * 86_400);
    expect(expiryOffers(TWO_YEARS, now).latestDay).toBe("2028-01-03");
    expect(parse({ lifetime: "date", until: "2028-01-03" })).toMatchObject({ ok: true });
  });

  it("offers what a short SESSION_COOKIE_AGE allows, and no more", () => {
    expect(expiryOffers(600, now)).toEqual({ hour: false, today: "2026-11-30", latestDay: null });
    // From 23:00, a two-hour session reaches past today's end, and no further day's.
    expect(expiryOffers(7200, new Date("2026-11-30T23:00:00Z")).latestDay).toBe("2026-11-30");
  });

  it("offers nothing that parseExpiryChoice refuses, and refuses the day after", () => {
    for (const age of [86_400, TWO_WEEKS, TWO_YEARS]) {
      const { latestDay } = expiryOffers(age, now);
      expect(parseExpiryChoice({ lifetime: "date", until: latestDay }, age, now)).toMatchObject({
        ok: true,
      });
      const after = new Date(Date.parse(`${latestDay}T12:00:00Z`) + 86_400_000);
      const until = after.toISOString().slice(0, 10);
      expect(parseExpiryChoice({ lifetime: "date", until }, age, now)).toMatchObject({
        ok: false,
        problem: "too-far",
      });
    }
  });
});

describe("problemMessage", () => {
  it("names the bound that applies on this site", () => {
    expect(problemMessage("too-far", TWO_WEEKS, now)).toBe(
      "Please choose a day up to 2026-12-13: we remember a session for 14 days at most.",
    );
    expect(problemMessage("hour-too-long", 600, now)).toContain("10 minutes at most");
    expect(problemMessage("past", TWO_WEEKS, now)).toContain("already passed");
  });

  it("reads only known codes from a URL", () => {
    expect(problemFrom("past")).toBe("past");
    expect(problemFrom("hour-too-long")).toBe("hour-too-long");
    expect(problemFrom("<script>")).toBeNull();
    expect(problemFrom("toString")).toBeNull();
    expect(problemFrom(undefined)).toBeNull();
  });
});

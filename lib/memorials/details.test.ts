import { describe, expect, it } from "vitest";
import { parseDetails } from "./details";

describe("parseDetails", () => {
  it("cleans a complete form: trimmed text, empty dates as null", () => {
    expect(
      parseDetails({ name: "  Biscuit ", species: "dog", born: "", died: "2024-03", epitaph: "" }),
    ).toEqual({
      ok: true,
      value: { name: "Biscuit", species: "dog", born: null, died: "2024-03", epitaph: "" },
    });
  });

  it("needs a name, and says so", () => {
    expect(parseDetails({ name: "   " })).toEqual({
      ok: false,
      message: "Please give your companion's name.",
    });
    expect(parseDetails({})).toEqual({ ok: false, message: "Please give your companion's name." });
  });

  it("refuses text over the limits with the limit in the message", () => {
    expect(parseDetails({ name: "x".repeat(81) })).toMatchObject({
      ok: false,
      message: "A name can be up to 80 characters.",
    });
    expect(parseDetails({ name: "Biscuit", epitaph: "x".repeat(281) })).toMatchObject({
      message: "An epitaph can be up to 280 characters.",
    });
    expect(parseDetails({ name: "Biscuit", species: "x".repeat(41) })).toMatchObject({
      message: "Species can be up to 40 characters.",
    });
  });

  it("accepts a year, a month or a day, and refuses what is not a date", () => {
    for (const born of ["2011", "2011-05", "2011-05-04", "2012-02-29"]) {
      expect(parseDetails({ name: "Biscuit", born })).toMatchObject({ ok: true });
    }
    for (const born of ["May 2011", "2011-13", "2011-02-30", "11-05-04"]) {
      expect(parseDetails({ name: "Biscuit", born })).toEqual({
        ok: false,
        message: "Born: Dates look like 2011, 2011-05 or 2011-05-04.",
      });
    }
  });

  it("refuses a death before a birth, comparing only what both dates know", () => {
    expect(parseDetails({ name: "Biscuit", born: "2015", died: "2012-01" })).toEqual({
      ok: false,
      message: "The date they passed away comes before the date they were born.",
    });
    expect(parseDetails({ name: "Biscuit", born: "2015-06-01", died: "2015" })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ["name", { name: "Pip\u0000" }, /^The name contains an invisible/],
    ["name", { name: "Pip\u202Egod" }, /^The name contains an invisible/],
    ["species", { name: "Pip", species: "cat\u0085" }, /^Species contains an invisible/],
    ["born", { name: "Pip", born: "2011\u0000" }, /^Born contains an invisible/],
    ["died", { name: "Pip", died: "\u20662024" }, /^Passed away contains an invisible/],
    ["epitaph", { name: "Pip", epitaph: "Good\u007f dog" }, /^The epitaph contains an invisible/],
  ])(
    "refuses control and bidi-override characters in the %s, saying which field",
    (_, input, message) => {
      expect(parseDetails(input)).toEqual({ ok: false, message: expect.stringMatching(message) });
    },
  );

  it("accepts accents, other scripts, emoji, and line breaks in the epitaph's textarea", () => {
    expect(
      parseDetails({ name: "Zoë ポチ 🐾", species: "chat", epitaph: "Forever\r\nour\tfriend" }),
    ).toMatchObject({
      ok: true,
      value: { name: "Zoë ポチ 🐾", epitaph: "Forever\r\nour\tfriend" },
    });
  });

  it("refuses a file where text was expected instead of crashing", () => {
    expect(parseDetails({ name: new Blob(["x"]) })).toMatchObject({ ok: false });
  });
});

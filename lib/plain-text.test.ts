import { describe, expect, it } from "vitest";
import { isPlainText, notPlainTextMessage, withoutUnprintable } from "./plain-text";

describe("isPlainText", () => {
  it.each(["Biscuit", "Crème brûlée", "Łucja", "ポチ", "Rex 🐕‍🦺", "Sir Pounce-a-lot, Esq.", ""])(
    "accepts %j",
    (text) => {
      expect(isPlainText(text)).toBe(true);
      expect(isPlainText(text, { multiLine: true })).toBe(true);
    },
  );

  it.each([
    ["NUL", "Pip\u0000"],
    ["a bell (C0)", "Pip\u0007"],
    ["an escape (C0)", "\u001b[31mPip"],
    ["DEL", "Pip\u007f"],
    ["a C1 control", "Pip\u0085"],
    ["a right-to-left override", "Pip\u202egod"],
    ["a left-to-right embedding", "\u202aPip"],
    ["a first-strong isolate", "Pip\u2068"],
    ["a pop directional isolate", "Pip\u2069"],
  ])("refuses %s, on one line or many", (_, text) => {
    expect(isPlainText(text)).toBe(false);
    expect(isPlainText(text, { multiLine: true })).toBe(false);
  });

  it("allows line breaks and tabs only where several lines are expected", () => {
    for (const text of ["one\ntwo", "one\r\ntwo", "col\tcol"]) {
      expect(isPlainText(text)).toBe(false);
      expect(isPlainText(text, { multiLine: true })).toBe(true);
    }
    expect(isPlainText("page\fbreak", { multiLine: true })).toBe(false);
  });

  it("names the field in the message", () => {
    expect(notPlainTextMessage("The name")).toMatch(/^The name contains an invisible control/);
  });
});

describe("withoutUnprintable", () => {
  it("removes what isPlainText refuses and keeps the rest", () => {
    expect(withoutUnprintable("P\u0000ip \u202e🐕\u0085")).toBe("Pip 🐕");
    expect(withoutUnprintable("one\ntwo\u0007", { multiLine: true })).toBe("one\ntwo");
    expect(withoutUnprintable("one\ntwo")).toBe("onetwo");
  });
});

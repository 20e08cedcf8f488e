import { describe, expect, it } from "vitest";
import { parseVisitorName } from "./visitor-name";

describe("parseVisitorName", () => {
  it("keeps a name in any script, trimmed, emoji included", () => {
    expect(parseVisitorName("  Zoë 🌻 ")).toEqual({ ok: true, value: "Zoë 🌻" });
    expect(parseVisitorName("Ἀριστοτέλης")).toEqual({ ok: true, value: "Ἀριστοτέλης" });
  });

  it("reads an empty field, or a file in its place, as forget my name", () => {
    expect(parseVisitorName("   ")).toEqual({ ok: true, value: null });
    expect(parseVisitorName(new Blob(["Ada"]))).toEqual({ ok: true, value: null });
  });

  it("cuts a name to the form's 80 characters", () => {
    expect(parseVisitorName("a".repeat(100))).toEqual({ ok: true, value: "a".repeat(80) });
  });

  it.each([
    ["NUL", "Ada\u0000"],
    ["a line break", "Ada\nLovelace"],
    ["a C1 control", "Ada\u009b"],
    ["a right-to-left override", "\u202eAda"],
  ])("refuses %s with a message", (_, name) => {
    expect(parseVisitorName(name)).toEqual({
      ok: false,
      message: expect.stringMatching(/^Your name contains an invisible/),
    });
  });
});

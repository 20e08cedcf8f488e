import { describe, expect, it } from "vitest";
import { isLocalPath } from "./local-path";

describe("isLocalPath", () => {
  it.each(["/", "/memorials", "/m/rex?tab=2&x=%3Cb%3E"])("accepts %j", (path) => {
    expect(isLocalPath(path)).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash URL", "/\\evil.example/"],
    ["a relative path", "memorials"],
    ["a control character", "/a\rb"],
    ["DEL", "/a\u007fb"],
    ["an ideographic space (not valid in a Location header)", "/\u3000/x"],
    ["an accented letter", "/caf\u00e9"],
    ["an emoji", "/m/rex-\u{1f415}"],
    ["an overlong path", `/${"a".repeat(2048)}`],
  ])("refuses %s", (_, path) => {
    expect(isLocalPath(path)).toBe(false);
  });
});

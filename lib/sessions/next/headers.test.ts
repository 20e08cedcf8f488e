import { describe, expect, it } from "vitest";
import { addVary, keepOutOfSharedCaches } from "./headers";

const cacheControl = (value?: string) => {
  const headers = new Headers(value === undefined ? {} : { "Cache-Control": value });
  keepOutOfSharedCaches(headers);
  return headers.get("Cache-Control");
};

describe("keepOutOfSharedCaches", () => {
  it("makes a static page's response private", () => {
    expect(cacheControl("s-maxage=31536000")).toBe("private");
    expect(cacheControl("public, max-age=60, s-maxage=600")).toBe("private, max-age=60");
  });

  it("adds private when there was nothing", () => {
    expect(cacheControl()).toBe("private");
  });

  it("keeps a response that is already private or not stored", () => {
    expect(cacheControl("private, no-cache, no-store, max-age=0, must-revalidate")).toBe(
      "private, no-cache, no-store, max-age=0, must-revalidate",
    );
    expect(cacheControl("no-store")).toBe("no-store");
  });
});

describe("addVary", () => {
  it("adds a field once, keeping the others", () => {
    const headers = new Headers({ Vary: "rsc, Accept-Encoding" });
    addVary(headers, "Cookie");
    addVary(headers, "cookie");
    expect(headers.get("Vary")).toBe("rsc, Accept-Encoding, Cookie");
  });
});

import { describe, expect, it } from "vitest";
import { isCrossSite } from "./same-origin";

const post = (headers: Record<string, string>) =>
  new Request("http://evermore.test/memorials/x/photos", { method: "POST", headers });

describe("isCrossSite", () => {
  it.each([
    [
      "an Origin of another site",
      { host: "evermore.test", origin: "https://attacker.example" },
      true,
    ],
    [
      "an Origin on another port",
      { host: "evermore.test", origin: "http://evermore.test:8080" },
      true,
    ],
    ["Origin: null", { host: "evermore.test", origin: "null" }, true],
    ["an Origin and no Host", { origin: "http://evermore.test" }, true],
    ["the site's own Origin", { host: "evermore.test", origin: "http://evermore.test" }, false],
    [
      "the Origin a proxy's X-Forwarded-Host names",
      {
        host: "127.0.0.1:3000",
        "x-forwarded-host": "evermore.test",
        origin: "https://evermore.test",
      },
      false,
    ],
    ["no Origin at all (a hand-made request)", { host: "evermore.test" }, false],
  ])("%s: cross-site is %s", (_, headers, expected) => {
    expect(isCrossSite(post(headers))).toBe(expected);
  });
});

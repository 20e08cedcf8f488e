import { describe, expect, it } from "vitest";
import { isRefreshable } from "./proxy";

const request = (method: string, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/memorials", { method, headers });

describe("isRefreshable (which requests proxy.ts refreshes)", () => {
  it("refreshes a page load", () => {
    expect(isRefreshable(request("GET", { accept: "text/html" }))).toBe(true);
    expect(isRefreshable(request("HEAD", { accept: "text/html" }))).toBe(true);
  });

  it("refreshes a client navigation, which reaches the proxy without its rsc header", () => {
    // What the proxy sees of a <Link> navigation: Next.js has removed `rsc` and the router state.
    expect(isRefreshable(request("GET", { accept: "*/*", "next-url": "/" }))).toBe(true);
  });

  it("leaves Server Actions to sessionAction", () => {
    expect(isRefreshable(request("POST", { "next-action": "7f3a" }))).toBe(false);
    expect(isRefreshable(request("GET", { "next-action": "7f3a" }))).toBe(false);
    // A form posted without JavaScript carries the action in its body, not in a header.
    expect(isRefreshable(request("POST", { accept: "text/html" }))).toBe(false);
  });
});

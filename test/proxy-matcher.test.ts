import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { config } from "../proxy";

/**
 * proxy.ts refreshes pages; Route Handlers commit their own session, and a
 * refresh of one would send a second session cookie. The matcher is the only
 * thing keeping them apart, so every Route Handler in app/ is checked here.
 */
const APP = path.join(import.meta.dirname, "../app");
const matcher = new RegExp(`^${config.matcher[0]}$`);

/** A URL that reaches `file`: dynamic segments filled in, route groups dropped. */
function sampleUrl(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "sample1" : segment));
  return `/${segments.join("/")}`;
}

function filesNamed(name: string, dir = APP): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesNamed(name, full);
    return entry.name === name ? [full] : [];
  });
}

describe("the proxy's matcher", () => {
  const routes = filesNamed("route.ts").map(sampleUrl);
  const pages = filesNamed("page.tsx").map(sampleUrl);

  it("finds the app's Route Handlers and pages", () => {
    expect(routes).toContain("/healthz");
    expect(pages).toContain("/");
  });

  it.each(routes)("leaves the Route Handler %s out", (url) => {
    expect(matcher.test(url)).toBe(false);
  });

  it.each(pages)("runs for the page %s", (url) => {
    expect(matcher.test(url)).toBe(true);
  });
});

import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { refreshSession } from "./proxy";
import { PAGE_PATH_HEADER, sessionUnavailable } from "./unavailable";

const unavailable = (query: string) =>
  sessionUnavailable(new Request(`http://127.0.0.1/session-unavailable${query}`));

describe("the 503 page of a store that is down", () => {
  it("answers 503, not to be cached, asking to retry shortly", async () => {
    const response = unavailable("?from=%2Fmemorials");
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.text()).toContain("We could not reach your session just now");
  });

  it("offers to try again on the page the visitor was on, query included", async () => {
    const text = await unavailable(
      `?${new URLSearchParams({ from: "/m/rex?tab=2&x=<b>" })}`,
    ).text();
    expect(text).toContain('<a href="/m/rex?tab=2&#38;x=&#60;b&#62;">Try again</a>');
  });

  it.each([
    ["no from", ""],
    ["another site", "?from=https://evil.example/"],
    ["a protocol-relative URL", "?from=//evil.example/"],
    ["a backslash URL", "?from=/%5Cevil.example/"],
    ["a relative path", "?from=memorials"],
    ["a control character", "?from=/a%0Db"],
  ])("links back to the home page for %s", async (_, query) => {
    expect(await unavailable(query).text()).toContain('<a href="/">Try again</a>');
  });
});

describe("the pages a Server Action is sent to when another request cut it short", () => {
  it.each([
    [
      "a session ended meanwhile",
      "ended",
      400,
      "Your session ended while this request was running",
    ],
    ["a change that crossed another", "conflict", 409, "Your change crossed with another one"],
  ])("%s: its status, nothing saved, a way back", async (_, reason, status, heading) => {
    const response = unavailable(`?${new URLSearchParams({ reason, from: "/memorials" })}`);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toContain(heading);
    expect(text).toContain('<a href="/memorials">Go back</a>');
  });

  it("an unknown reason is the 503 page", async () => {
    expect(unavailable("?reason=other").status).toBe(503);
  });
});

describe("refreshSession tells the render its page", () => {
  it("passes the path and query on as a request header", async () => {
    const response = await refreshSession(new NextRequest("http://127.0.0.1/memorials/7?a=1"));
    // How NextResponse.next({ request: { headers } }) hands request headers to the render.
    expect(response.headers.get(`x-middleware-request-${PAGE_PATH_HEADER}`)).toBe(
      "/memorials/7?a=1",
    );
  });

  it("overwrites a header the client sent itself", async () => {
    const request = new NextRequest("http://127.0.0.1/", {
      headers: { [PAGE_PATH_HEADER]: "//evil.example/" },
    });
    const response = await refreshSession(request);
    expect(response.headers.get(`x-middleware-request-${PAGE_PATH_HEADER}`)).toBe("/");
  });
});

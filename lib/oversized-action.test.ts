import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES, refuseOversizedAction } from "./oversized-action";

function post(length: string | null, path = "/memorials/d1/edit") {
  const headers = new Headers(length === null ? {} : { "content-length": length });
  return new Request(`http://localhost${path}`, { method: "POST", headers });
}

describe("refuseOversizedAction", () => {
  it("leaves alone what Next would take: a GET, no declared length, up to the limit", () => {
    const get = new Request("http://localhost/", {
      headers: { "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) },
    });
    for (const request of [get, post(null), post("abc"), post(String(ACTION_BODY_LIMIT_BYTES))])
      expect(refuseOversizedAction(request)).toBeNull();
  });

  it("answers a larger post with a 413 page that leads back to where the form was", async () => {
    const response = refuseOversizedAction(post(String(ACTION_BODY_LIMIT_BYTES + 1)))!;
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("connection")).toBe("close");
    const page = await response.text();
    expect(page).toContain("That was more than a form can send");
    expect(page).toContain("Nothing from it was saved");
    expect(page).toContain('<a href="/memorials/d1/edit">Go back</a>');
  });

  it("keeps a hostile path inert in the link back", async () => {
    const response = refuseOversizedAction(post("2000000", `/"><script>alert(1)</script>`))!;
    const page = await response.text();
    expect(page).not.toContain("<script>");
    expect(page).toContain('<a href="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E">');
  });
});

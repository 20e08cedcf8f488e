import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES, refuseOversizedAction } from "./oversized-action";

function post(length: string | null, path = "/memorials/d1/edit") {
  const headers = new Headers(length === null ? {} : { "content-length": length });
  return new Request(`http://localhost${path}`, { method: "POST", headers });
}

/** A post whose body comes in chunks of 64 KB and declares no length, as a chunked upload does. */
function chunkedPost(bytes: number) {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(65_536, bytes - sent)).fill(65);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const request = new Request("http://localhost/memorials/d1/edit", {
    method: "POST",
    body,
    duplex: "half",
  } as RequestInit);
  return { request, sent: () => sent };
}

describe("refuseOversizedAction", () => {
  it("leaves alone what Next would take: a GET, no body, up to the limit", async () => {
    const get = new Request("http://localhost/", {
      headers: { "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) },
    });
    for (const request of [get, post(null), post("abc"), post(String(ACTION_BODY_LIMIT_BYTES))])
      expect(await refuseOversizedAction(request)).toBeNull();
  });

  it("answers a larger post with a 413 page that leads back to where the form was", async () => {
    const response = (await refuseOversizedAction(post(String(ACTION_BODY_LIMIT_BYTES + 1))))!;
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("connection")).toBe("close");
    const page = await response.text();
    expect(page).toContain("That was more than a form can send");
    expect(page).toContain("Nothing from it was saved");
    expect(page).toContain('<a href="/memorials/d1/edit">Go back</a>');
  });

  it("counts a chunked body that declares no length, and refuses it one byte past the limit", async () => {
    const over = chunkedPost(ACTION_BODY_LIMIT_BYTES + 1);
    const response = await refuseOversizedAction(over.request);
    expect(response?.status).toBe(413);
    expect(await response!.text()).toContain("That was more than a form can send");
  });

  it("stops reading a long chunked body once it is over the limit", async () => {
    const flood = chunkedPost(50 * ACTION_BODY_LIMIT_BYTES);
    expect((await refuseOversizedAction(flood.request))?.status).toBe(413);
    // The stream may be asked for a chunk or two ahead, never for the rest.
    expect(flood.sent()).toBeLessThan(ACTION_BODY_LIMIT_BYTES + 4 * 65_536);
  });

  it("lets a chunked body of up to the limit through", async () => {
    for (const bytes of [0, 100, ACTION_BODY_LIMIT_BYTES]) {
      expect(await refuseOversizedAction(chunkedPost(bytes).request), `${bytes} bytes`).toBeNull();
    }
  });

  it("keeps a hostile path inert in the link back", async () => {
    const response = (await refuseOversizedAction(
      post("2000000", `/"><script>alert(1)</script>`),
    ))!;
    const page = await response.text();
    expect(page).not.toContain("<script>");
    expect(page).toContain('<a href="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E">');
  });
});

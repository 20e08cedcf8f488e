import { describe, expect, it, vi } from "vitest";
import { bodyAtMost } from "./request-body";

/** A request whose body comes in `count` chunks of `size` bytes, with no Content-Length; counts what was pulled. */
function chunkedRequest(count: number, size: number) {
  const pulled = { chunks: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.chunks === count) return controller.close();
      pulled.chunks++;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
  });
  const request = new Request("http://localhost/upload", {
    method: "POST",
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled };
}

describe("bodyAtMost", () => {
  it("returns the whole body when it stays within the limit", async () => {
    const { request } = chunkedRequest(4, 1000);
    expect((await bodyAtMost(request, 4000))?.byteLength).toBe(4000);
  });

  it("stops reading a chunked body once it passes the limit", async () => {
    const { request, pulled } = chunkedRequest(1000, 64 * 1024);
    expect(await bodyAtMost(request, 1024 * 1024)).toBeNull();
    // 17 chunks pass 1 MiB; the rest of the 64 MiB is never pulled.
    expect(pulled.chunks).toBeLessThan(20);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://localhost/upload", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "5000000" },
    });
    expect(await bodyAtMost(request, 1000)).toBeNull();
    expect(request.bodyUsed).toBe(false);
  });

  it("reads a body the client cut short (Node's ECONNRESET) as null, with a log line", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const request = new Request("http://localhost/upload", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await bodyAtMost(request, 1000)).toBeNull();
      expect(warn).toHaveBeenCalledWith("evermore: an upload ended early (aborted)");
    } finally {
      warn.mockRestore();
    }
  });
});

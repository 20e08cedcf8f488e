import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readPhotoForm } from "./photo-form";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-photo-form-"));
  process.env.UPLOADS_DIR = dir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LIMITS = { maxBytes: 1024 * 1024, fileBytes: 64 * 1024, maxFiles: 4 };
const BOUNDARY = "----evermore-test-boundary";

/** A multipart request whose one file's bytes come in `count` chunks of `size`, with no Content-Length. */
function chunkedUpload(count: number, size: number, end = true) {
  const pulled = { chunks: 0 };
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(head));
    },
    pull(controller) {
      if (pulled.chunks === count) {
        if (end) controller.enqueue(new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`));
        return controller.close();
      }
      pulled.chunks++;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
  });
  const request = new Request("http://localhost/upload", {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    duplex: "half",
  } as RequestInit);
  return { request, pulled };
}

function formRequest(form: FormData): Request {
  return new Request("http://localhost/upload", { method: "POST", body: form });
}

const leftovers = () => fs.readdirSync(dir).filter((name) => name.includes(".upload."));

describe("readPhotoForm", () => {
  it("writes each photo to its own file on disk, and drops the empty one a form sends with none chosen", async () => {
    const form = new FormData();
    form.append("photos", new File([new Uint8Array(3000).fill(1)], "one.jpg"));
    form.append("photos", new File([new Uint8Array(5000).fill(2)], "two.png"));
    form.append("photos", new File([], ""));
    const read = await readPhotoForm(formRequest(form), LIMITS);
    if (!read.ok) throw new Error(read.reason);
    expect(read.files.map(({ name, size, tooLarge }) => ({ name, size, tooLarge }))).toEqual([
      { name: "one.jpg", size: 3000, tooLarge: false },
      { name: "two.png", size: 5000, tooLarge: false },
    ]);
    expect(fs.readFileSync(read.files[1]!.path)).toEqual(Buffer.alloc(5000, 2));
    expect(leftovers()).toHaveLength(2);
    for (const file of read.files) fs.rmSync(file.path);
  });

  it("reads no more files than its limit, and says some were left unread", async () => {
    const form = new FormData();
    for (let i = 0; i < LIMITS.maxFiles + 2; i++)
      form.append("photos", new File([`photo ${i}`], `${i}.jpg`));
    const read = await readPhotoForm(formRequest(form), LIMITS);
    if (!read.ok) throw new Error(read.reason);
    expect(read.files).toHaveLength(LIMITS.maxFiles);
    expect(read.unread).toBe(true);
    for (const file of read.files) fs.rmSync(file.path);
  });

  it("keeps only the start of a file over the per-file limit, and says it was larger", async () => {
    const form = new FormData();
    form.append("photos", new File([new Uint8Array(LIMITS.fileBytes + 10)], "big.jpg"));
    const read = await readPhotoForm(formRequest(form), LIMITS);
    if (!read.ok) throw new Error(read.reason);
    expect(read.files[0]).toMatchObject({ size: LIMITS.fileBytes, tooLarge: true });
    fs.rmSync(read.files[0]!.path);
  });

  it("stops reading a chunked body once it passes the limit, and leaves no file behind", async () => {
    const { request, pulled } = chunkedUpload(1000, 64 * 1024);
    expect(await readPhotoForm(request, LIMITS)).toEqual({ ok: false, reason: "too-large" });
    // 17 chunks pass 1 MiB; the rest of the 64 MiB is never pulled.
    expect(pulled.chunks).toBeLessThan(20);
    expect(leftovers()).toEqual([]);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://localhost/upload", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "5000000", "content-type": `multipart/form-data; boundary=x` },
    });
    expect(await readPhotoForm(request, LIMITS)).toEqual({ ok: false, reason: "too-large" });
    expect(request.bodyUsed).toBe(false);
  });

  it("reads a form that ends before its last boundary as broken, and leaves no file behind", async () => {
    const { request } = chunkedUpload(3, 1000, false);
    expect(await readPhotoForm(request, LIMITS)).toEqual({ ok: false, reason: "broken" });
    expect(leftovers()).toEqual([]);
  });

  it("reads a body the client cut short (Node's ECONNRESET) as broken, with a log line", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`--${BOUNDARY}\r\n`));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const request = new Request("http://localhost/upload", {
      method: "POST",
      body,
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      duplex: "half",
    } as RequestInit);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await readPhotoForm(request, LIMITS)).toEqual({ ok: false, reason: "broken" });
      expect(warn).toHaveBeenCalledWith("evermore: an upload ended early (aborted)");
    } finally {
      warn.mockRestore();
    }
    expect(leftovers()).toEqual([]);
  });

  it("reads anything but a multipart form as broken", async () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]) {
      const request = new Request("http://localhost/upload", {
        method: "POST",
        body: "photos=1",
        headers: { "content-type": type },
      });
      expect(await readPhotoForm(request, LIMITS), type).toEqual({ ok: false, reason: "broken" });
    }
  });
});

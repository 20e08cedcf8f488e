import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoFile } from "./photo-files";
import { photoResponse } from "./photo-response";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-photo-response-"));
  process.env.UPLOADS_DIR = dir;
  fs.writeFileSync(photoFile("photo-cache-1", "full"), Buffer.from("RIFF....WEBPVP8 "));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/memorial-photos/photo-cache-1", { headers });

describe("photoResponse", () => {
  it("keeps a private photo out of every cache, the browser's included", async () => {
    const response = await photoResponse(get(), "photo-cache-1", "private");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
  });

  it("lets a shared cache keep a published photo only if it asks again each time", async () => {
    const response = await photoResponse(get(), "photo-cache-1", "published");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300, s-maxage=0");
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    const again = await photoResponse(get({ "if-none-match": etag }), "photo-cache-1", "published");
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("answers a private photo in full even when asked with an ETag", async () => {
    const published = await photoResponse(get(), "photo-cache-1", "published");
    const etag = published.headers.get("etag")!;
    const response = await photoResponse(
      get({ "if-none-match": etag }),
      "photo-cache-1",
      "private",
    );
    expect(response.status).toBe(200);
  });
});

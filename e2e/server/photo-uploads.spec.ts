import http from "node:http";
import type { APIRequestContext } from "@playwright/test";
import { request as requestContext } from "@playwright/test";
import sharp from "sharp";
import { draft, putDrafts } from "../fixtures/accounts";
import type { AppServer } from "./session/app-server";
import { startAppServer } from "./session/app-server";
import { expect, test } from "./session/fixtures";

/**
 * The photo form against a real `next start` with small limits (one worker
 * and no waiting place; two photos per session and three per address a
 * day): a server already busy with an upload answers the next with a 503
 * page that keeps the draft; quotas refuse with a message; a post from
 * another site is refused.
 */
let server: AppServer | undefined;

/** Inside a `test.describe`: its own server with these photo settings. */
function photoServer(settings: Record<string, string>) {
  test.beforeAll(async ({ services }) => {
    test.setTimeout(60_000);
    server = await startAppServer(settings, services.templateDatabase);
  });
  test.afterAll(async () => {
    await server?.stop();
    server = undefined;
  });
  test.afterEach(async ({}, testInfo) => {
    if (server && testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach("next start output", { body: server.output() });
  });
}

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: "#7d8f72" } })
    .png()
    .toBuffer();

/** A new visitor (no cookie yet) with one draft: its context and the draft's address. */
async function visitorWithDraft(name: string) {
  const visitor = await requestContext.newContext({ baseURL: server!.url });
  const one = draft(name);
  await putDrafts(visitor, [one]);
  return { visitor, path: `/memorials/${one.id}` };
}

/** Posts photos as the form does; the page it lands on (the notice's text is in it). */
async function upload(visitor: APIRequestContext, path: string, count: number) {
  const buffer = await png();
  // A FormData: an object's keys cannot repeat, and the form sends every file as `photos`.
  const form = new FormData();
  for (let i = 0; i < count; i++) {
    form.append("photos", new File([buffer], `photo-${i}.png`, { type: "image/png" }));
  }
  const reply = await visitor.post(`${path}/photos`, { multipart: form, maxRedirects: 0 });
  return reply;
}

/** The draft's photos, as the session holds them. */
async function photosOf(visitor: APIRequestContext): Promise<number> {
  const state = (await (await visitor.get("/testing/drafts")).json()) as {
    drafts: { photos: unknown[] }[];
  };
  return state.drafts[0]!.photos.length;
}

/** Sends one photo post by hand, stopping after the first part of its body until `finish()`. */
async function slowUpload(path: string, cookie: string) {
  const boundary = "----evermore-slow-upload";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const photo = await png();
  const url = new URL(`${path}/photos`, server!.url);
  const request = http.request(url, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie },
  });
  const status = new Promise<number>((resolve, reject) => {
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
  request.write(head);
  request.write(photo.subarray(0, 16));
  return {
    status,
    finish: () => {
      request.write(photo.subarray(16));
      request.end(tail);
    },
  };
}

async function cookieOf(visitor: APIRequestContext): Promise<string> {
  const { cookies } = await visitor.storageState();
  const session = cookies.find((cookie) => cookie.name === "sessionid");
  expect(session, "the visitor's session cookie").toBeTruthy();
  return `sessionid=${session!.value}`;
}

test.describe("one worker, no waiting place", () => {
  photoServer({ PHOTO_WORKERS: "1", PHOTO_QUEUE: "0" });

  test("an upload while the server is busy with another gets a 503 page that keeps the draft", async () => {
    const first = await visitorWithDraft("Biscuit");
    const second = await visitorWithDraft("Mog");
    // The first upload holds the only place while its body is still arriving.
    const slow = await slowUpload(first.path, await cookieOf(first.visitor));
    await expect
      .poll(async () => (await upload(second.visitor, second.path, 1)).status(), {
        timeout: 10_000,
      })
      .toBe(503);
    const busy = await upload(second.visitor, second.path, 1);
    expect(busy.status()).toBe(503);
    expect(busy.headers()["retry-after"]).toBe("10");
    expect(busy.headers()["content-type"]).toBe("text/html; charset=utf-8");
    const page = await busy.text();
    expect(page).toContain("Busy with other photos");
    expect(page).toContain("Your memorial is just as you left it.");
    expect(page).toContain(`<a href="${second.path}">Back to the memorial</a>`);
    expect(await photosOf(second.visitor)).toBe(0);

    slow.finish();
    expect(await slow.status).toBe(303);
    expect(await photosOf(first.visitor)).toBe(1);
    // The place is free again: the second visitor's photo is taken now.
    expect((await upload(second.visitor, second.path, 1)).status()).toBe(303);
    expect(await photosOf(second.visitor)).toBe(1);
    await first.visitor.dispose();
    await second.visitor.dispose();
  });

  test("an upload posted from another site is refused, and nothing is saved", async () => {
    const one = await visitorWithDraft("Tansy");
    const reply = await one.visitor.post(`${one.path}/photos`, {
      headers: { origin: "https://elsewhere.example" },
      multipart: { photos: { name: "a.png", mimeType: "image/png", buffer: await png() } },
      maxRedirects: 0,
    });
    expect(reply.status()).toBe(403);
    expect(await reply.text()).toContain("That upload came from another site");
    expect(await photosOf(one.visitor)).toBe(0);
    await one.visitor.dispose();
  });
});

test.describe("two photos a session and three an address a day", () => {
  photoServer({ PHOTO_DAILY_PER_SESSION: "2", PHOTO_DAILY_PER_ADDRESS: "3" });

  /** The notice the upload's 303 leads to. */
  async function noticeAfter(visitor: APIRequestContext, path: string, count: number) {
    const reply = await upload(visitor, path, count);
    expect(reply.status()).toBe(303);
    const page = await (await visitor.get(reply.headers()["location"]!)).text();
    return /<[^>]+role="status"[^>]*>(.*?)<\//s.exec(page)?.[1] ?? page;
  }

  test("a session's quota, then its address's, refuse further photos with a message", async () => {
    const a = await visitorWithDraft("Juniper");
    expect(await noticeAfter(a.visitor, a.path, 2)).toBe("2 photos added.");
    expect(await noticeAfter(a.visitor, a.path, 1)).toContain(
      "You have added 2 photos in the last day, the most we take from one visitor. " +
        "You can add more in about 24 hours.",
    );
    expect(await photosOf(a.visitor)).toBe(2);

    // A fresh session from the same address: one more photo, then the address's quota.
    const b = await visitorWithDraft("Pepper");
    const notice = await noticeAfter(b.visitor, b.path, 2);
    expect(notice).toContain("1 photo added.");
    expect(notice).toContain(
      "3 photos were added from your network in the last day, the most we take from one address.",
    );
    expect(await photosOf(b.visitor)).toBe(1);
    await a.visitor.dispose();
    await b.visitor.dispose();
  });
});

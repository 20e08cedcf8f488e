import { errorPage } from "@/lib/sessions/next/error-page";

/**
 * The most a Server Action (every form of the site) may send: Next's default
 * `serverActions.bodySizeLimit`, 1 MB, which next.config.ts leaves as it is.
 */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A 413 page for a form post larger than an action may take, or null.
 *
 * Next refuses such a body with a bare 500 "Internal Server Error". The
 * proxy runs before every page, and so before every action posted to one,
 * and answers first. Every form field has a `maxLength`, so only a hand-made
 * request gets here; it is told what happened, and nothing of it is saved.
 *
 * A declared length decides at once, unread. A body sent in chunks declares
 * none, so it is counted as it arrives, up to one byte over the limit. That
 * read costs the action nothing: Next.js hands the proxy a copy of the body
 * and keeps the original for the action, which it holds back until the whole
 * body has arrived anyway.
 */
export async function refuseOversizedAction(request: Request): Promise<Response | null> {
  if (request.method !== "POST") return null;
  const declared = request.headers.get("content-length");
  const tooLarge =
    declared === null
      ? await streamsMoreThan(request.body, ACTION_BODY_LIMIT_BYTES)
      : Number(declared) > ACTION_BODY_LIMIT_BYTES;
  if (!tooLarge) return null;
  const response = errorPage(
    413,
    "That was more than a form can send",
    [
      "A form here can send at most 1 MB at once, and this one sent more.",
      "Nothing from it was saved. Please go back and try again with less.",
    ],
    { href: new URL(request.url).pathname, text: "Go back" },
  );
  // The connection closes after the answer, rather than read what else the sender has.
  response.headers.set("Connection", "close");
  return response;
}

/** Whether `body` holds more than `limit` bytes; reads no further than the byte that tells. */
async function streamsMoreThan(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<boolean> {
  if (!body) return false;
  const reader = body.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      return true;
    }
  }
}

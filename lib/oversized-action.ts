import { errorPage } from "@/lib/sessions/next/error-page";

/**
 * The most a Server Action (every form of the site) may send: Next's default
 * `serverActions.bodySizeLimit`, 1 MB, which next.config.js leaves as it is.
 */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A 413 page for a form post larger than an action may take, or null.
 *
 * Next refuses such a body with a bare 500 "Internal Server Error". The
 * proxy runs before every page, and so before every action posted to one,
 * and answers first when the declared length is already too large. Every
 * form field has a `maxLength`, so only a hand-made request gets here; it
 * is told what happened, and nothing of it is read or saved. A chunked
 * body declares no length: Next still counts it, and answers as it does.
 */
export function refuseOversizedAction(request: Request): Response | null {
  if (request.method !== "POST") return null;
  const length = Number(request.headers.get("content-length"));
  if (!(length > ACTION_BODY_LIMIT_BYTES)) return null;
  const response = errorPage(
    413,
    "That was more than a form can send",
    [
      "A form here can send at most 1 MB at once, and this one sent more.",
      "Nothing from it was saved. Please go back and try again with less.",
    ],
    { href: new URL(request.url).pathname, text: "Go back" },
  );
  // The rest of the body is never read: the connection closes after the answer.
  response.headers.set("Connection", "close");
  return response;
}

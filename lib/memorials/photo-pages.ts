import { errorPage } from "@/lib/sessions/next/error-page";
import { BUSY_RETRY_SECONDS } from "./photo-queue";

/**
 * The photo form's answer when the server already has as many uploads as it
 * takes (`PhotoQueue`): a 503 with `Retry-After`, a page that says nothing
 * was lost, and a link back to the draft. The draft is untouched: nothing of
 * the upload was read, let alone saved.
 */
export function photosBusyPage(draftPath: string): Response {
  const response = errorPage(
    503,
    "Busy with other photos",
    [
      "We are preparing other visitors' photos right now and could not take yours this moment.",
      `Your memorial is just as you left it. Please go back and upload again in ${BUSY_RETRY_SECONDS} seconds or so.`,
    ],
    { href: draftPath, text: "Back to the memorial" },
  );
  response.headers.set("Retry-After", String(BUSY_RETRY_SECONDS));
  // The body was not read: close rather than read the rest of it.
  response.headers.set("Connection", "close");
  return response;
}

/** The photo form's answer to a post sent by another site: nothing read, nothing saved. */
export function crossSitePostPage(): Response {
  return errorPage(403, "That upload came from another site", [
    "Photos can only be added from this site's own pages, so nothing was saved.",
  ]);
}

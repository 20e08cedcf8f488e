import { errorPage } from "@/lib/sessions/next/error-page";
import { withSession } from "@/lib/sessions/next";

/**
 * What a logout response sends besides the deletion cookie: the browser is
 * told to drop everything of this site it cached (private photos, pages), so
 * the next person at the same browser finds none of it. Only the cache: the
 * cookies and storage stay, among them the device cookie a logout keeps on
 * purpose (lib/accounts/trusted-device.ts).
 */
export const CLEAR_SITE_DATA = '"cache"';

/**
 * A logout as a Route Handler for a plain `<form method="post">`: `run`
 * ends the session (`getSession()` is the request's) and returns where to go
 * next; the answer is a 303 there, with `Clear-Site-Data` and, from
 * `withSession`, the deletion cookie and `Vary: Cookie`.
 *
 * Not a Server Action, because an action cannot set a response header:
 * Next.js offers it cookies only (docs/decisions/0011). What a Server Action
 * gets for free, this checks itself: a post from another site is refused
 * with a 403, as Next.js refuses a cross-origin action.
 */
export function logoutRoute(
  run: () => Promise<string>,
): (request: Request, context: unknown) => Promise<Response> {
  const handler = withSession(async () => {
    const location = await run();
    return new Response(null, {
      status: 303,
      headers: { Location: location, "Clear-Site-Data": CLEAR_SITE_DATA },
    });
  });
  return async (request, context) => {
    if (!isSameOriginPost(request)) return crossSitePage();
    return handler(request, context);
  };
}

/**
 * Whether a post comes from a page of this site, by what browsers say of
 * every form post: its `Origin` names this host (as Next.js checks a Server
 * Action), and `Sec-Fetch-Site`, when sent, is same-origin. A request with
 * neither is no browser's, and so no forgery.
 */
export function isSameOriginPost(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch (error) {
    // `Origin: null` (a sandboxed frame, a redirect across sites) is no origin of ours.
    if (error instanceof TypeError) return false;
    throw error;
  }
}

function crossSitePage(): Response {
  return errorPage(403, "That did not come from this site", [
    "A logout can only be asked for from one of our own pages. Nothing was changed.",
  ]);
}

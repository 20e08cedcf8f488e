import type { NextRequest } from "next/server";
import { refuseOversizedAction } from "@/lib/oversized-action";
import { refreshSession } from "@/lib/sessions/next";

/**
 * Runs before every page: refuses a form post larger than a Server Action
 * may take, with a page that says so (Next's own answer is a bare 500), and
 * slides the session's expiry when SESSION_SAVE_EVERY_REQUEST is on.
 */
export async function proxy(request: NextRequest) {
  return (await refuseOversizedAction(request)) ?? refreshSession(request);
}

/**
 * Paths of the Route Handlers. They commit their own session (`withSession`),
 * and a refresh here too would send a second cookie, so the proxy leaves them
 * out. `proxy-matcher.test.ts` fails when a Route Handler is missing here.
 */
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|healthz|testing/session/|testing/drafts|bench/|how-it-works/expiry/visit|memorials/[^/]+/photos|memorial-photos/|session-unavailable).*)",
  ],
};

import type { NextRequest } from "next/server";
import { contentSecurityPolicy, CSP_HEADER, newNonce } from "@/lib/content-security-policy";
import { refuseOversizedAction } from "@/lib/oversized-action";
import { refreshSession } from "@/lib/sessions/next";

/**
 * Runs before every page and every Server Action posted to one: refuses a
 * form post larger than an action may take, with a page that says so
 * (Next's own answer is a bare 500); gives the page its Content-Security-
 * Policy, whose nonce Next.js puts on the scripts it inlines; and slides the
 * session's expiry when SESSION_SAVE_EVERY_REQUEST is on.
 */
export async function proxy(request: NextRequest) {
  const refused = await refuseOversizedAction(request);
  if (refused) return refused;
  const policy = contentSecurityPolicy(newNonce());
  const response = await refreshSession(request, { requestHeaders: { [CSP_HEADER]: policy } });
  response.headers.set(CSP_HEADER, policy);
  return response;
}

/**
 * Paths of the Route Handlers. They commit their own session (`withSession`),
 * and a refresh here too would send a second cookie, so the proxy leaves them
 * out. `proxy-matcher.test.ts` fails when a Route Handler is missing here.
 */
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|healthz|testing/session/|testing/drafts|testing/email-links|bench/|how-it-works/expiry/visit|how-it-works/logout/flush|logout|memorials/[^/]+/photos|memorial-photos/|session-unavailable).*)",
  ],
};

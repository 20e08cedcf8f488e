import type { NextRequest } from "next/server";
import { refreshSession } from "@/lib/sessions/next";

/** Runs before every page: slides the session's expiry when SESSION_SAVE_EVERY_REQUEST is on. */
export function proxy(request: NextRequest) {
  return refreshSession(request);
}

export const config = {
  // Pages only. Not static files or images (no session), and not the Route Handlers
  // (/healthz, /testing/session/<op>): they commit their own session, and a refresh here
  // too would send a second cookie. A new Route Handler belongs in this list.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|healthz|testing/session/).*)"],
};

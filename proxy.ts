import type { NextRequest } from "next/server";
import { refreshSession } from "@/lib/sessions/next";

/** Runs before every page: slides the session's expiry when SESSION_SAVE_EVERY_REQUEST is on. */
export function proxy(request: NextRequest) {
  return refreshSession(request);
}

export const config = {
  // Not for static files, images or the health check: they never use the session.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|healthz).*)"],
};

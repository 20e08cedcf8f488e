import { sessionUnavailable } from "@/lib/sessions/next";

/** Where pages and Server Actions send the visitor while the session store is down (a 503). */
export const GET = sessionUnavailable;

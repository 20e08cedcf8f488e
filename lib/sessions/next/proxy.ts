import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { settings } from "../../settings";
import { SessionInterrupted, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import { commitSession } from "./commit";
import { serializeCookie } from "./cookie";
import { openSession } from "./session";

/**
 * For `proxy.ts`: with `SESSION_SAVE_EVERY_REQUEST`, saves the session of
 * every page render and sends the cookie again, so its expiry slides with
 * activity (Django saves on every response; Server Components cannot, so the
 * proxy does it before they render). A request without the cookie, or with
 * the setting off, passes through untouched. An expired or unknown session
 * gets its cookie deleted.
 *
 * ```ts
 * // proxy.ts
 * export const proxy = (request: NextRequest) => refreshSession(request);
 * ```
 */
export async function refreshSession(request: NextRequest): Promise<NextResponse> {
  const response = NextResponse.next();
  const config = settings();
  const cookieValue = request.cookies.get(config.SESSION_COOKIE_NAME)?.value;
  if (!config.SESSION_SAVE_EVERY_REQUEST || cookieValue === undefined || !isPageRender(request))
    return response;
  try {
    const session = await openSession(cookieValue);
    const commit = await commitSession({ session, hadCookie: true, status: 200, settings: config });
    if (commit.cookie) response.headers.append("Set-Cookie", serializeCookie(commit.cookie));
  } catch (error) {
    // The page itself will meet the same store; refreshing is not worth failing the request over.
    if (error instanceof StorageError)
      logStorageFailure("the session expiry could not be refreshed", error);
    else if (!(error instanceof SessionInterrupted)) throw error;
  }
  return response;
}

/**
 * A request that renders a page (a document or an RSC payload for client
 * navigation): only these are refreshed here. Route Handlers and Server
 * Actions commit their own session (`withSession`, `sessionAction`); saving
 * it here as well would send two cookies, or re-save a session the handler
 * is about to flush.
 */
export function isPageRender(request: Request): boolean {
  const { method, headers } = request;
  if (method !== "GET" && method !== "HEAD") return false;
  if (headers.has("next-action")) return false;
  return headers.has("rsc") || (headers.get("accept") ?? "").includes("text/html");
}

import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { settings } from "../../settings";
import { SessionInterrupted, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import { commitSession } from "./commit";
import { readSessionCookie, serializeCookie } from "./cookie";
import { keepOutOfSharedCaches } from "./headers";
import { openSession } from "./session";
import { PAGE_PATH_HEADER } from "./unavailable";

/**
 * For `proxy.ts`: with `SESSION_SAVE_EVERY_REQUEST`, saves the session of
 * every page render and sends the cookie again, so its expiry slides with
 * activity (Django saves on every response; Server Components cannot, so the
 * proxy does it before they render). A request without the cookie, or with
 * the setting off, is not refreshed. An expired or unknown session gets its
 * cookie deleted. Every page is also told its own path, for the "try again"
 * link of the 503 page when the store is down (see `unavailable.ts`).
 *
 * A refreshed page's `Vary: Cookie` cannot be set here: Next.js replaces
 * the `Vary` of every page and Server Action response with its own.
 * `varyOnSessionCookie` (instrumentation.ts) adds it as the response goes out.
 *
 * `options.requestHeaders` are passed on to the render with the request
 * (proxy.ts hands Next.js the page's Content-Security-Policy this way).
 *
 * Route Handlers must be left out with the proxy's `matcher`: they commit
 * their own session (`withSession`), and a refresh here as well would send
 * two cookies, or re-save a session the handler is about to flush. The
 * proxy cannot tell them apart itself (see `isRefreshable`).
 *
 * ```ts
 * // proxy.ts
 * export const proxy = (request: NextRequest) => refreshSession(request);
 * // every path but static files and Route Handlers (here: /api/...)
 * export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"] };
 * ```
 */
export async function refreshSession(
  request: NextRequest,
  options: { requestHeaders?: Record<string, string> } = {},
): Promise<NextResponse> {
  const response = passOn(request, options.requestHeaders ?? {});
  const config = settings();
  // The first of two same-named cookies, as every entry point reads it (`readSessionCookie`).
  const cookieValue = readSessionCookie(request.headers.get("cookie"), config.SESSION_COOKIE_NAME);
  if (!config.SESSION_SAVE_EVERY_REQUEST || cookieValue === null || !isRefreshable(request))
    return response;
  try {
    const session = await openSession(cookieValue);
    const commit = await commitSession({ session, hadCookie: true, status: 200, settings: config });
    if (commit.cookie) {
      response.headers.append("Set-Cookie", serializeCookie(commit.cookie));
      // Next.js keeps a Cache-Control set here, so a static page does not go out as
      // `s-maxage=…` (to be cached and replayed by a CDN) with someone's session cookie.
      keepOutOfSharedCaches(response.headers);
    }
  } catch (error) {
    // The page itself will meet the same store; refreshing is not worth failing the request over.
    if (error instanceof StorageError)
      logStorageFailure("the session expiry could not be refreshed", error);
    else if (!(error instanceof SessionInterrupted)) throw error;
  }
  return response;
}

/**
 * Lets the render know its page's path and query, for the "try again" link
 * of the 503 page when the store is down (a render is not told its URL),
 * and whatever else the caller passes on.
 */
function passOn(request: NextRequest, extra: Record<string, string>): NextResponse {
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  headers.set(PAGE_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

/**
 * A request the proxy may refresh: a GET or HEAD that is not a Server
 * Action (which commits its own session through `sessionAction`).
 *
 * Nothing finer is possible: Next.js removes the RSC headers (`rsc`,
 * `next-router-state-tree`, …) before the proxy sees a request, so a client
 * navigation looks like any `fetch()`, and a browser asks for HTML whether
 * the URL is a page or a Route Handler. Which paths are pages is the
 * matcher's to say.
 */
export function isRefreshable(request: Request): boolean {
  const { method, headers } = request;
  return (method === "GET" || method === "HEAD") && !headers.has("next-action");
}

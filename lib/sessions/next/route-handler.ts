import { settings } from "../../settings";
import { SessionInterrupted, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import { commitSession } from "./commit";
import type { SessionCookie } from "./cookie";
import { readSessionCookie, serializeCookie } from "./cookie";
import { addVary, keepOutOfSharedCaches } from "./headers";
import type { RequestScope } from "./session";
import { openSession, requestScope, runCommitted } from "./session";
import { interruptedPage, storeDownPage } from "./unavailable";

/**
 * Wraps a Route Handler so that `getSession()` inside it returns the
 * request's session, committed when the handler returns, as Django's
 * `SessionMiddleware` would: saved when modified, the cookie set or
 * deleted, `Vary: Cookie` when the session was read. A handler that throws
 * or answers 5xx saves nothing and sets no cookie, and runs nothing that
 * it deferred with `afterCommit`.
 *
 * ```ts
 * export const POST = withSession(async (request) => {
 *   const session = await getSession();
 *   await session.set("visitorName", (await request.formData()).get("name") as string);
 *   return Response.redirect(new URL("/", request.url), 303);
 * });
 * ```
 */
export function withSession<Context>(
  handler: (request: Request, context: Context) => Response | Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const config = settings();
    const cookieValue = readSessionCookie(
      request.headers.get("cookie"),
      config.SESSION_COOKIE_NAME,
    );
    const session = await openSession(cookieValue);
    const scope: RequestScope = { session, committed: [] };
    let response: Response;
    try {
      response = await requestScope.run(scope, () => handler(request, context));
    } catch (error) {
      // A store that is down is not the handler's bug: say so with a 503, and set no cookie.
      // Nor is losing a race to another request on the same session (a 400 that says so).
      if (error instanceof StorageError || error instanceof SessionInterrupted)
        return failedCommit(error);
      throw error;
    }
    try {
      const commit = await commitSession({
        session,
        hadCookie: cookieValue !== null,
        status: response.status,
        settings: config,
      });
      // A 5xx saved nothing: what waited for the commit must not happen either.
      if (response.status < 500) await runCommitted(scope);
      return withHeaders(response, commit.cookie, commit.varyOnCookie);
    } catch (error) {
      return failedCommit(error);
    }
  };
}

/**
 * The response with the session's headers: set on it directly, or on a copy
 * when its headers are immutable (`Response.redirect`, a `fetch` response).
 * Copying costs a second stream around the body on every request, so it is
 * only the fallback.
 */
function withHeaders(
  response: Response,
  cookie: SessionCookie | null,
  varyOnCookie: boolean,
): Response {
  if (!cookie && !varyOnCookie) return response;
  try {
    addSessionHeaders(response.headers, cookie, varyOnCookie);
    return response;
  } catch (error) {
    // Immutable headers refuse the first change, so nothing was half-applied.
    if (!(error instanceof TypeError)) throw error;
  }
  const headers = new Headers(response.headers);
  addSessionHeaders(headers, cookie, varyOnCookie);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function addSessionHeaders(headers: Headers, cookie: SessionCookie | null, varyOnCookie: boolean) {
  if (varyOnCookie) addVary(headers, "Cookie");
  if (cookie) {
    headers.append("Set-Cookie", serializeCookie(cookie));
    keepOutOfSharedCaches(headers);
  }
}

/**
 * The session could not be used or saved: 400 for a session deleted
 * meanwhile, 409 for a change that crossed another, 503 for a store that is down.
 */
function failedCommit(error: unknown): Response {
  if (error instanceof SessionInterrupted) return interruptedPage(error);
  if (error instanceof StorageError) {
    logStorageFailure("the session store is unavailable", error);
    return storeDownPage();
  }
  throw error;
}

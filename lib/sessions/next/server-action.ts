import { isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { cookies, headers } from "next/headers";
import { settings } from "../../settings";
import { commitSession } from "./commit";
import type { SessionCookie } from "./cookie";
import { readSessionCookie } from "./cookie";
import type { RequestScope } from "./session";
import { openSession, requestScope, runCommitted } from "./session";
import { redirectIfSessionFailed } from "./unavailable";

/**
 * Wraps a Server Action so that `getSession()` inside it returns the
 * request's session, committed when the action finishes (Django's
 * `SessionMiddleware`). `redirect()` and `notFound()` inside the action are
 * not failures: the session is committed before they take effect. Any other
 * error saves nothing and sets no cookie; a store that is down sends the
 * visitor to the 503 page, a session ended meanwhile to a 400 page, and a
 * change that crossed another request's (`ChangeConflict`) to a 409 page
 * (`unavailable.ts`). What the action deferred with `afterCommit` runs only
 * once the commit succeeded. `SessionTooLarge` (`CookieTooLarge` among them)
 * reaches the caller, which knows best what to tell the visitor (nothing
 * was saved; the previous cookie or record stays).
 *
 * ```ts
 * "use server";
 * export const rememberName = sessionAction(async (form: FormData) => {
 *   const session = await getSession();
 *   await session.set("visitorName", String(form.get("name")));
 *   redirect("/");
 * });
 * ```
 */
export function sessionAction<Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    const config = settings();
    const jar = await cookies();
    // Read from the header like every entry point: Next's cookie store keeps the last of two.
    const header = (await headers()).get("cookie");
    const cookieValue = readSessionCookie(header, config.SESSION_COOKIE_NAME);
    const session = await openSession(cookieValue);
    const scope: RequestScope = { session, committed: [] };
    let outcome: { result: Result } | { navigation: unknown };
    try {
      outcome = { result: await requestScope.run(scope, () => action(...args)) };
    } catch (error) {
      if (!isNavigation(error)) return redirectIfSessionFailed(error);
      outcome = { navigation: error };
    }
    const commit = await commitSession({
      session,
      hadCookie: cookieValue !== null,
      status: 200,
      settings: config,
    }).catch(redirectIfSessionFailed);
    if (commit.cookie) jar.set(toNextCookie(commit.cookie));
    await runCommitted(scope);
    if ("navigation" in outcome) throw outcome.navigation;
    return outcome.result;
  };
}

/** `redirect()`, `notFound()`, `forbidden()`: Next's control flow, thrown as errors. */
function isNavigation(error: unknown): boolean {
  return isRedirectError(error) || isHTTPAccessFallbackError(error);
}

function toNextCookie(cookie: SessionCookie) {
  return {
    name: cookie.name,
    value: cookie.value,
    ...(cookie.maxAge !== null && { maxAge: cookie.maxAge }),
    ...(cookie.expires && { expires: cookie.expires }),
    ...(cookie.domain && { domain: cookie.domain }),
    path: cookie.path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    ...(cookie.sameSite && {
      sameSite: cookie.sameSite.toLowerCase() as "lax" | "strict" | "none",
    }),
  };
}

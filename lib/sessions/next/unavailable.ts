import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isLocalPath } from "../../local-path";
import { ChangeConflict, SessionInterrupted, StorageError } from "../errors";
import { logStorageFailure } from "../log";
import { errorPage } from "./error-page";

/**
 * A page or a Server Action whose session store is down. A Route Handler
 * answers 503 itself (`withSession`); a render cannot set its status, so it
 * sends the visitor to a Route Handler that does: mount `sessionUnavailable`
 * at `app/session-unavailable/route.ts`.
 *
 * The page offers to try again where the visitor was, which `refreshSession`
 * (proxy.ts) passes to the render in a request header.
 */

/** Where renders and Server Actions send the visitor when the store is down. */
export const UNAVAILABLE_PATH = "/session-unavailable";

/** The request header in which `refreshSession` passes the page's path and query to the render. */
export const PAGE_PATH_HEADER = "x-session-page-path";

/** Rethrows anything but `StorageError`; for that one, logs it and redirects to the 503 page. */
export async function redirectIfStoreIsDown(error: unknown): Promise<never> {
  if (!(error instanceof StorageError)) throw error;
  logStorageFailure("the session store is unavailable", error);
  redirect(await unavailableAddress({}));
}

/** `/session-unavailable`, with the page the visitor was on (when it is one of ours) to go back to. */
async function unavailableAddress(query: Record<string, string>): Promise<string> {
  const from = (await headers()).get(PAGE_PATH_HEADER);
  const search = new URLSearchParams(from && isLocalPath(from) ? { ...query, from } : query);
  return search.size > 0 ? `${UNAVAILABLE_PATH}?${search}` : UNAVAILABLE_PATH;
}

/**
 * For Server Actions: what `redirectIfStoreIsDown` does, and the same for a
 * request that another one cut short (`SessionInterrupted`), which is the
 * visitor's situation rather than the site's bug: a page that says nothing
 * was saved, 400 for a session ended meanwhile, 409 for a change that crossed
 * another (`ChangeConflict`). (A Route Handler answers them itself.)
 */
export async function redirectIfSessionFailed(error: unknown): Promise<never> {
  if (!(error instanceof SessionInterrupted)) return redirectIfStoreIsDown(error);
  redirect(await unavailableAddress({ reason: reasonOf(error) }));
}

/**
 * `GET /session-unavailable?from=/page`: the 503 page, with a way back to the
 * page; with `reason=ended` or `reason=conflict`, the pages of `redirectIfSessionFailed`.
 */
export function sessionUnavailable(request: Request): Response {
  const query = new URL(request.url).searchParams;
  const from = query.get("from");
  const back = from && isLocalPath(from) ? from : "/";
  const reason = query.get("reason");
  if (reason !== null && Object.hasOwn(INTERRUPTED_PAGES, reason))
    return INTERRUPTED_PAGES[reason as Reason](back);
  return storeDownPage(back);
}

/** The page for a request another one cut short: a conflict (409) or a session ended (400). */
export function interruptedPage(error: SessionInterrupted, backPath?: string): Response {
  return INTERRUPTED_PAGES[reasonOf(error)](backPath);
}

/** How a request was cut short, as `reason=` in the address of its page. */
type Reason = "ended" | "conflict";

function reasonOf(error: SessionInterrupted): Reason {
  return error instanceof ChangeConflict ? "conflict" : "ended";
}

/** 400: another request (a logout in another tab) ended the session while this one ran. */
function sessionEndedPage(backPath?: string): Response {
  return errorPage(
    400,
    "Your session ended while this request was running",
    [
      "You may have logged out in another tab or window at the same moment.",
      "Nothing from this request was saved. Please go back and try again.",
    ],
    goBack(backPath),
  );
}

/** 409: another request saved a change that this request's change could not be made on top of. */
function changeConflictPage(backPath?: string): Response {
  return errorPage(
    409,
    "Your change crossed with another one",
    [
      "Another tab or window changed the same thing at the same moment, and your change no " +
        "longer fitted with it (a limit was reached, say).",
      "Nothing from this request was saved; the other change was kept. Please go back, check, " +
        "and try again.",
    ],
    goBack(backPath),
  );
}

function goBack(backPath: string | undefined) {
  return backPath === undefined ? undefined : { href: backPath, text: "Go back" };
}

const INTERRUPTED_PAGES: Record<Reason, (backPath?: string) => Response> = {
  ended: sessionEndedPage,
  conflict: changeConflictPage,
};

/** 503: the store is down. `retryPath`, when given, is offered as a link to try again. */
export function storeDownPage(retryPath?: string): Response {
  const response = errorPage(
    503,
    "We could not reach your session just now",
    [
      "Our session storage is not answering. Nothing you saved before is lost.",
      "Please try again in a moment.",
    ],
    retryPath === undefined ? undefined : { href: retryPath, text: "Try again" },
  );
  response.headers.set("Retry-After", "5");
  return response;
}

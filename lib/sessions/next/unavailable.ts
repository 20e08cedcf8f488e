import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isLocalPath } from "../../local-path";
import { StorageError } from "../errors";
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
  const from = (await headers()).get(PAGE_PATH_HEADER);
  const query = from && isLocalPath(from) ? `?${new URLSearchParams({ from })}` : "";
  redirect(`${UNAVAILABLE_PATH}${query}`);
}

/** `GET /session-unavailable?from=/page`: the 503 page, with a way back to the page. */
export function sessionUnavailable(request: Request): Response {
  const from = new URL(request.url).searchParams.get("from");
  return storeDownPage(from && isLocalPath(from) ? from : "/");
}

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

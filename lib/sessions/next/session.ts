import { AsyncLocalStorage } from "node:async_hooks";
import { headers } from "next/headers";
import { cache } from "react";
import { settings } from "../../settings";
import type { SessionBase } from "../base";
import { getSessionStore } from "../engine";
import { readSessionCookie } from "./cookie";
import { redirectIfStoreIsDown } from "./unavailable";

/**
 * The request's session: `request.session` for the App Router.
 *
 * Inside a Route Handler wrapped with `withSession` or a Server Action
 * wrapped with `sessionAction`, it is the one session those wrappers commit
 * at the end. Anywhere else (Server Components) it is read-only, shared by
 * every component of the render, and a write throws `SessionReadOnly`
 * saying where to move it: Next.js cannot set cookies there.
 *
 * A request without the cookie never touches the store. In a wrapped
 * handler or action nothing is loaded until something reads it; in a render
 * the session is loaded when first asked for (see `renderSession`).
 */
export async function getSession(): Promise<SessionBase> {
  return requestScope.getStore()?.session ?? renderSession();
}

export interface RequestScope {
  session: SessionBase;
  /** What `afterCommit` deferred, run by the wrapper once the session is committed. */
  committed: (() => Promise<void>)[];
}

/** Where wrapped handlers and actions keep their request's session. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Defers `task` until this request's session is committed (Django's
 * `transaction.on_commit`): for what must not happen unless the change is
 * saved, such as removing the files of a photo the session no longer holds.
 * When the commit fails (a store that is down, a session ended meanwhile)
 * or the handler throws or answers 5xx, the task never runs. Tasks run in
 * order; one that throws is logged and the rest still run, since the
 * session is saved by then and the response must say so. Only inside
 * `withSession` or `sessionAction`; anywhere else it throws.
 */
export function afterCommit(task: () => Promise<void>): void {
  const scope = requestScope.getStore();
  if (!scope) {
    throw new Error(
      "lib/sessions: afterCommit() needs a session that is committed: call it inside a Route " +
        "Handler wrapped with withSession() or a Server Action wrapped with sessionAction()",
    );
  }
  scope.committed.push(task);
}

/** Runs what `afterCommit` deferred, once the commit succeeded. */
export async function runCommitted(scope: RequestScope): Promise<void> {
  for (const task of scope.committed.splice(0)) {
    try {
      await task();
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      console.error(`lib/sessions: a task deferred until the session's commit failed (${name})`);
    }
  }
}

export const READ_ONLY_MESSAGE =
  "this session is read-only here: Server Components cannot set cookies, so the change would be " +
  "lost. Make the change in a Server Action wrapped with sessionAction(), or in a Route Handler " +
  "wrapped with withSession() (lib/sessions/next)";

/**
 * One read-only session per render (React's `cache` is scoped to the request).
 * A render asks for the session to read it, so it is loaded here, before
 * anything streams: a store that is down then sends the visitor to the 503
 * page instead of failing the render with Next's error page.
 */
const renderSession = cache(async (): Promise<SessionBase> => {
  // The header, not Next's cookie store, which keeps the last of two same-named cookies:
  // every entry point reads the first (`readSessionCookie`), so one request sees one session.
  const header = (await headers()).get("cookie");
  const session = await openSession(readSessionCookie(header, settings().SESSION_COOKIE_NAME));
  session.lockWrites(READ_ONLY_MESSAGE);
  if (session.sessionKey !== null) await session.keys().catch(redirectIfStoreIsDown);
  return session;
});

/** A session for a cookie value (or none), of the configured engine. */
export async function openSession(cookieValue: string | null | undefined): Promise<SessionBase> {
  const SessionStore = await getSessionStore();
  return new SessionStore(cookieValue ?? null);
}

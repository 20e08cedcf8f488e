import type { Settings } from "../../settings";
import type { SessionBase } from "../base";
import { SessionInterrupted, UpdateError } from "../errors";
import type { SessionCookie } from "./cookie";
import { deletionCookie, sessionCookie } from "./cookie";

/**
 * What Django's `SessionMiddleware.process_response` does at the end of a
 * request, as a decision the caller applies to its response.
 */
export interface Commit {
  /** The cookie to send (a deletion has `maxAge` 0), or null. */
  cookie: SessionCookie | null;
  /** The session was read: the response depends on the `Cookie` header. */
  varyOnCookie: boolean;
}

export interface CommitInput {
  session: SessionBase;
  /** The request carried the session cookie. */
  hadCookie: boolean;
  /** The response status; 5xx saves nothing. */
  status: number;
  settings: Settings;
}

/**
 * Saves the session if it must be saved and says which cookie to send.
 *
 * - the request had the cookie and the session is now empty: delete the cookie;
 * - modified (or `SESSION_SAVE_EVERY_REQUEST`) and not empty: save, and send
 *   the cookie with Max-Age/Expires from `getExpiryAge()`, or none of them
 *   for a browser-session cookie;
 * - a 5xx response changes nothing: no save, no cookie (the request failed;
 *   a store that is down must not cost the visitor their cookie).
 *
 * Throws `SessionInterrupted` when the session was deleted while the request
 * ran (a logout elsewhere): a save must not bring it back.
 */
export async function commitSession({
  session,
  hadCookie,
  status,
  settings,
}: CommitInput): Promise<Commit> {
  const varyOnCookie = session.accessed;
  if (status >= 500) return { cookie: null, varyOnCookie };

  const mustSave = session.modified || settings.SESSION_SAVE_EVERY_REQUEST;
  // A save is due: load first, so that an expired or unknown key reads as
  // empty and its cookie is deleted, instead of an empty record being made
  // for it (Django would create one).
  if (mustSave && hadCookie) await session.keys();
  if (hadCookie && session.isEmpty())
    return { cookie: deletionCookie(settings), varyOnCookie: true };
  if (!mustSave || session.isEmpty()) return { cookie: null, varyOnCookie };

  const maxAge = await session.cookieMaxAge();
  try {
    await session.save();
  } catch (error) {
    if (error instanceof UpdateError) {
      throw new SessionInterrupted(
        "the session was deleted before the request completed; the visitor may have logged out " +
          "in another tab or window at the same moment",
        { cause: error },
      );
    }
    throw error;
  }
  return { cookie: sessionCookie(settings, session.sessionKey!, maxAge), varyOnCookie: true };
}

import type { SessionBase, SessionSettings } from "@/lib/sessions";
import { HIDDEN, maskKey, prettyData } from "./mask";

export interface Flags {
  accessed: boolean;
  modified: boolean;
}

/** What the inspector shows: nothing here may reveal more than a masked key. */
export interface Inspection {
  engine: string;
  cookieName: string;
  /** The key the store recognised (none for an unknown or expired one), masked. */
  key: string;
  /** The flags before anything read the session, and after the inspector read it. */
  flagsBefore: Flags;
  flagsAfter: Flags;
  valueCount: number;
  /** Pretty-printed, `_auth*` values hidden; every value hidden when `staleLogin`. */
  data: string;
  /**
   * The session holds a login that went stale (the account logged this
   * device out): its values are that account's, not this visitor's.
   */
  staleLogin: boolean;
  expiryAge: number;
  expiryDate: Date;
  expireAtBrowserClose: boolean;
  cookie: { httpOnly: boolean; secure: boolean; sameSite: string; path: string };
}

type InspectorSettings = Pick<
  SessionSettings,
  | "SESSION_ENGINE"
  | "SESSION_COOKIE_NAME"
  | "SESSION_COOKIE_HTTPONLY"
  | "SESSION_COOKIE_SECURE"
  | "SESSION_COOKIE_SAMESITE"
  | "SESSION_COOKIE_PATH"
>;

/**
 * Looks at a session the way Django's middleware sees it. Reading it sets
 * `accessed` (so the response varies on the cookie) and never `modified`:
 * the inspector only reads, which is why a Server Component can render it.
 *
 * `staleLogin` tells whether the session holds a login that went stale
 * (`loginWentStale`); asked after the flags are taken, as it reads the
 * session. Then every value is hidden, as every other page hides that
 * account's drafts and name from whoever uses this device next.
 */
export async function inspectSession(
  session: SessionBase,
  settings: InspectorSettings,
  staleLogin: () => Promise<boolean> = async () => false,
): Promise<Inspection> {
  const flagsBefore = flagsOf(session);
  const entries = Object.fromEntries(await session.items());
  const flagsAfter = flagsOf(session);
  const stale = await staleLogin();
  const shown = stale
    ? Object.fromEntries(Object.keys(entries).map((key) => [key, HIDDEN]))
    : entries;
  return {
    engine: settings.SESSION_ENGINE,
    cookieName: settings.SESSION_COOKIE_NAME,
    key: maskKey(session.sessionKey),
    flagsBefore,
    flagsAfter,
    valueCount: Object.keys(entries).length,
    data: prettyData(shown),
    staleLogin: stale,
    expiryAge: await session.getExpiryAge(),
    expiryDate: await session.getExpiryDate(),
    expireAtBrowserClose: await session.getExpireAtBrowserClose(),
    cookie: {
      httpOnly: settings.SESSION_COOKIE_HTTPONLY,
      secure: settings.SESSION_COOKIE_SECURE,
      sameSite: settings.SESSION_COOKIE_SAMESITE || "not set",
      path: settings.SESSION_COOKIE_PATH,
    },
  };
}

function flagsOf(session: SessionBase): Flags {
  return { accessed: session.accessed, modified: session.modified };
}

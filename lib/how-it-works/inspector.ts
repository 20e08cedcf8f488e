import type { SessionBase, SessionSettings } from "@/lib/sessions";
import { maskKey, prettyData } from "./mask";

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
  /** Pretty-printed, `_auth*` values hidden. */
  data: string;
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
 */
export async function inspectSession(
  session: SessionBase,
  settings: InspectorSettings,
): Promise<Inspection> {
  const flagsBefore = flagsOf(session);
  const entries = Object.fromEntries(await session.items());
  return {
    engine: settings.SESSION_ENGINE,
    cookieName: settings.SESSION_COOKIE_NAME,
    key: maskKey(session.sessionKey),
    flagsBefore,
    flagsAfter: flagsOf(session),
    valueCount: Object.keys(entries).length,
    data: prettyData(entries),
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

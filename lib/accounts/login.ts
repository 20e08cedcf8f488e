import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Database } from "@/lib/db/client";
import { MAX_ROW_ID } from "@/lib/db/client";
import { drafts } from "@/lib/memorials/drafts";
import type { SessionBase } from "@/lib/sessions";
import { ChangeConflict } from "@/lib/sessions";
import { authHashMatches, sessionAuthHash } from "./auth-hash";
import { photoIdsOf } from "@/lib/memorials/draft-ops";
import { carryDrafts, deleteForgottenPhotos } from "./carry";
import { BACKEND_KEY, DEVICE_KEY, HASH_KEY, NEXT_HASH_KEY, USER_ID_KEY } from "./session-keys";

/** What `_auth_user_backend` names: the next-auth Credentials provider that verified the password. */
export const CREDENTIALS_BACKEND = "next-auth.providers.credentials";

/**
 * Django's `login()` (`last_login` included), plus carrying the visitor's
 * drafts into the account.
 *
 * A session that another user was logged in to (`loginOf`, stale or not) is
 * logged out first (`logOut`: the drafts go to that account, where they were
 * made), so nothing of theirs leaks into this login; otherwise the drafts are
 * carried into this account and then the key is cycled, so a key planted
 * before login (session fixation) is worthless after it. Either way the
 * browser gets a new cookie value and the old one opens nothing.
 *
 * The rotation comes before the carry. It deletes the old record only as
 * this request read it, carrying over first what another request saved on
 * it meanwhile (an autosave), so the drafts read after it are the last ones:
 * no request holding the old cookie can change them any more. If the carry
 * then fails, the drafts stay in the session, logged in, and join the account
 * at logout, as drafts made while logged in do.
 */
export async function logIn(
  database: Database,
  session: SessionBase,
  user: User,
  device: string,
): Promise<void> {
  const previous = await loginOf(database, session);
  if (previous && previous.user.id !== user.id) {
    await logOut(database, session);
  } else {
    await session.cycleKey();
    await carryOrKeep(database, user.id, session);
  }

  await session.set(USER_ID_KEY, String(user.id));
  await session.set(BACKEND_KEY, CREDENTIALS_BACKEND);
  await session.set(HASH_KEY, sessionAuthHash(user));
  await session.set(DEVICE_KEY, device.slice(0, 200));
  // Django's `update_last_login`: a password reset link sent before this login stops working.
  await database.user.update({ where: { id: user.id }, data: { lastLogin: new Date() } });
}

/** Moves the session's drafts into the account; a failure leaves them in the session, never lost. */
async function carryOrKeep(database: Database, userId: number, session: SessionBase) {
  try {
    await carryDrafts(database, userId, await drafts.read(session));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    console.error(
      `evermore: drafts stay in the session for now: carrying them into the account failed (${typeof code === "string" ? code : "error"})`,
    );
    return;
  }
  await drafts.remove(session);
}

/** How many times a logout looks again when a save lands between its read and its flush. */
const LOGOUT_ATTEMPTS = 5;

/**
 * Django's `logout()`: the record is deleted, the data emptied, and the
 * cookie goes with them. See `flushAsLogout` for what happens to drafts.
 */
export function logOut(database: Database, session: SessionBase): Promise<void> {
  return flushAsLogout(database, session, () => session.flush());
}

/**
 * Runs `flush` (the session's `flush()`, or one that also proves it) as a
 * logout must. Drafts live in the session whether or not anyone is logged
 * in: those made while logged in are carried into that account first (also
 * when the login went stale meanwhile), so logging out loses none of them;
 * an anonymous visitor's are forgotten, as asked, and their photos' files
 * deleted after the flush.
 *
 * The flush deletes the record only as it was read here. When another
 * request saved it in between (an autosave), the flush deletes nothing
 * (`ChangeConflict`), and the logout looks again: what it carried from the
 * older version is written anew from the newer one, so the last words typed
 * reach the account too.
 */
export async function flushAsLogout<T>(
  database: Database,
  session: SessionBase,
  flush: () => Promise<T>,
): Promise<T> {
  const carried = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const list = await drafts.read(session);
    const owner = (await loginOf(database, session))?.user;
    if (owner) {
      for (const id of await carryDrafts(database, owner.id, list, { again: carried }))
        carried.add(id);
    }
    try {
      const result = await flush();
      if (!owner) await deleteForgottenPhotos(database, photoIdsOf(list));
      return result;
    } catch (error) {
      if (!(error instanceof ChangeConflict) || attempt === LOGOUT_ATTEMPTS) throw error;
    }
  }
}

/**
 * Ends a login that went stale (the account logged out its other devices, or
 * changed its password) the way Django does, by flushing the session, and
 * carries its drafts into that account first: they were made while logged
 * in there. Whoever uses this device next starts afresh and never sees them.
 * Returns whether there was such a login. Call it before a visitor's change.
 */
export async function endStaleLogin(database: Database, session: SessionBase): Promise<boolean> {
  if (!(await loginWentStale(database, session))) return false;
  await logOut(database, session);
  return true;
}

/** Whether the session holds a login that no longer counts: its drafts are not the visitor's. */
export async function loginWentStale(database: Database, session: SessionBase): Promise<boolean> {
  const login = await loginOf(database, session);
  return login !== null && !login.current;
}

/**
 * The logged-in user of a session, or null. A session whose auth hash no
 * longer matches (password changed, other devices logged out) is anonymous.
 */
export async function userOf(database: Database, session: SessionBase): Promise<User | null> {
  const login = await loginOf(database, session);
  if (!login?.current) return null;
  // Verified under a retired SECRET_KEY (a rotation under way): hashed again under the current
  // one wherever the session can be saved, so removing the old key later logs nobody out.
  const current = sessionAuthHash(login.user);
  if (login.hash !== current && session.writable) {
    await session.set(HASH_KEY, current);
    if (await session.has(NEXT_HASH_KEY)) await session.delete(NEXT_HASH_KEY);
  }
  return login.user;
}

/**
 * The account a session was logged in to here, and whether that login still
 * counts (`current`: the stored auth hash matches); null when none was, or
 * the account is gone. A login recorded by another backend (a Django app
 * sharing the sessions) names a user of that app, not of this one, so it is
 * none of this site's business, as Django's `get_user` checks the backend.
 */
async function loginOf(database: Database, session: SessionBase) {
  if ((await session.get(BACKEND_KEY)) !== CREDENTIALS_BACKEND) return null;
  const id = Number(await session.get(USER_ID_KEY));
  if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_ROW_ID) return null;
  const user = await database.user.findUnique({ where: { id } });
  if (!user) return null;
  const hash = await session.get(HASH_KEY);
  // Or the hash this session saved for the epoch its "log out other devices" moved to (devices.ts).
  const current =
    authHashMatches(hash, user) || authHashMatches(await session.get(NEXT_HASH_KEY), user);
  return { user, hash, current };
}

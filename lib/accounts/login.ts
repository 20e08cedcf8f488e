import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Database } from "@/lib/db/client";
import { drafts } from "@/lib/memorials/drafts";
import type { SessionBase } from "@/lib/sessions";
import { authHashMatches, sessionAuthHash } from "./auth-hash";
import { carryDrafts, deleteForgottenPhotos } from "./carry";
import { BACKEND_KEY, DEVICE_KEY, HASH_KEY, USER_ID_KEY } from "./session-keys";

/** What `_auth_user_backend` names: the next-auth Credentials provider that verified the password. */
export const CREDENTIALS_BACKEND = "next-auth.providers.credentials";

/**
 * Django's `login()`, plus carrying the visitor's drafts into the account.
 *
 * A session that another user is verifiably logged in to (`userOf`) is
 * logged out first (`logOut`: their drafts go to their account), so nothing
 * of theirs leaks into this login; otherwise the drafts are carried into
 * this account and then the key is cycled, so a key planted before login
 * (session fixation) is worthless after it. Either way the browser gets a new
 * cookie value and the old one opens nothing.
 *
 * The carry comes before the rotation: if it fails, the old record (the
 * visitor's name, their drafts) is still there, and a retry carries again,
 * harmlessly, as carrying is idempotent.
 *
 * Unlike Django, a session with a stale auth hash (after "log out other
 * devices", whoever it was) is cycled, not flushed: that device has been
 * treated as anonymous since, and drafts made meanwhile are the visitor's to
 * keep, so they go into the account logging in now.
 */
export async function logIn(
  database: Database,
  session: SessionBase,
  user: User,
  device: string,
): Promise<void> {
  const previous = await userOf(database, session);
  if (previous && previous.id !== user.id) {
    await logOut(database, session);
  } else {
    await carryDrafts(database, user.id, await drafts.read(session));
    await drafts.remove(session);
    await session.cycleKey();
  }

  await session.set(USER_ID_KEY, String(user.id));
  await session.set(BACKEND_KEY, CREDENTIALS_BACKEND);
  await session.set(HASH_KEY, sessionAuthHash(user));
  await session.set(DEVICE_KEY, device.slice(0, 200));
}

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
 * in: a logged-in user's are carried into the account first, so logging out
 * loses none of them; an anonymous visitor's are forgotten, as asked, and
 * their photos' files deleted after the flush.
 */
export async function flushAsLogout<T>(
  database: Database,
  session: SessionBase,
  flush: () => Promise<T>,
): Promise<T> {
  const list = await drafts.read(session);
  const user = await userOf(database, session);
  if (user) await carryDrafts(database, user.id, list);
  const result = await flush();
  if (!user) await deleteForgottenPhotos(database, list);
  return result;
}

/**
 * The logged-in user of a session, or null. A session whose auth hash no
 * longer matches (password changed, other devices logged out) is anonymous.
 */
export async function userOf(database: Database, session: SessionBase): Promise<User | null> {
  const id = Number(await session.get(USER_ID_KEY));
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const user = await database.user.findUnique({ where: { id } });
  const stored = await session.get(HASH_KEY);
  if (!user || !authHashMatches(stored, user)) return null;
  // Verified under a retired SECRET_KEY (a rotation under way): hashed again under the current
  // one wherever the session can be saved, so removing the old key later logs nobody out.
  const current = sessionAuthHash(user);
  if (stored !== current && session.writable) await session.set(HASH_KEY, current);
  return user;
}

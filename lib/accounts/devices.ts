import { createHash, randomInt } from "node:crypto";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Database } from "@/lib/db/client";
import { z } from "zod";
import type { Draft } from "@/lib/memorials/drafts";
import { draftSchema, drafts } from "@/lib/memorials/drafts";
import type { SessionBase, SessionData } from "@/lib/sessions";
import { sessionAuthHash } from "./auth-hash";
import { carryDrafts } from "./carry";
import { HASH_KEY, NEXT_HASH_KEY } from "./session-keys";

/** One of an account's sessions, as the account page lists it. */
export interface Device {
  /** A digest of the session key: enough to tell rows apart, useless as a cookie. */
  id: string;
  device: string;
  lastSeen: Date;
  current: boolean;
}

/**
 * The account's live sessions. Only the `accounts` engine records whose a
 * session is; with any other engine the list is empty and the page says so.
 */
export async function listDevices(
  database: Database,
  userId: number,
  currentKey: string | null,
): Promise<Device[]> {
  const rows = await database.accountSession.findMany({
    where: { userId, expireDate: { gt: new Date() } },
    select: { sessionKey: true, device: true, lastSeen: true },
    orderBy: { lastSeen: "desc" },
  });
  return rows.map(({ sessionKey, device, lastSeen }) => ({
    id: createHash("sha256").update(sessionKey).digest("hex").slice(0, 16),
    device,
    lastSeen,
    current: sessionKey === currentKey,
  }));
}

/**
 * Ends every session of the account but this one, on any engine: the epoch
 * moves, so every other session's `_auth_user_hash` stops matching and
 * reads as anonymous; this session gets the new hash.
 *
 * Moving the epoch first would leave this device stale too, until its
 * session is saved at the end of the action, and a request of its own read
 * in between (another tab, an autosave) would end its login. So this session
 * first saves the hash of the epoch to come beside its own (`NEXT_HASH_KEY`,
 * which `loginOf` accepts), and only then does the epoch move: at every
 * moment one of its two hashes matches. The new epoch is random, not the
 * next number, so that a hash saved by an attempt that never moved the epoch
 * (a crash in between) matches no later epoch. With the `accounts`
 * engine the other rows are deleted as well, so they disappear from the list
 * and from storage at once; the drafts begun in them are carried into the
 * account first. A row saved in the instant between the read and its
 * delete stays, for its stale login to end (`endStaleLogin`); a draft changed
 * in that instant keeps the version carried first, since a carry skips the
 * drafts already in the account.
 */
export async function logOutOtherDevices(
  database: Database,
  session: SessionBase,
  user: User,
): Promise<void> {
  const next = { ...user, sessionEpoch: newEpoch(user.sessionEpoch) };
  const hash = sessionAuthHash(next);
  await session.set(NEXT_HASH_KEY, hash);
  await session.save();
  // Only from the epoch read with `user`: if another request moved it meanwhile, that one won.
  const moved = await database.user.updateMany({
    where: { id: user.id, sessionEpoch: user.sessionEpoch },
    data: { sessionEpoch: next.sessionEpoch },
  });
  if (moved.count === 0) return session.delete(NEXT_HASH_KEY);
  await session.set(HASH_KEY, hash);
  await session.delete(NEXT_HASH_KEY);
  await deleteAccountSessions(database, session, user.id, session.sessionKey);
}

/**
 * The `accounts` engine's rows of an account's sessions, but `keep`'s:
 * their drafts carried into the account, then deleted (a row saved since it
 * was read stays, for its stale login to end). Call it once their logins
 * no longer count (a new epoch or password). `reader` decodes the rows.
 */
export async function deleteAccountSessions(
  database: Database,
  reader: SessionBase,
  userId: number,
  keep: string | null,
): Promise<void> {
  const others = await database.accountSession.findMany({
    where: { userId, NOT: { sessionKey: keep ?? "" } },
    select: { sessionKey: true, sessionData: true },
  });
  const theirDrafts = others.flatMap((row) => draftsIn(reader.decode(row.sessionData)));
  await carryDrafts(database, userId, theirDrafts);
  for (const { sessionKey, sessionData } of others) {
    await database.accountSession.deleteMany({ where: { sessionKey, sessionData } });
  }
}

/** The largest epoch the column holds (a 32-bit integer on both databases). */
const MAX_EPOCH = 2 ** 31 - 1;

/** A random epoch other than `current`. */
function newEpoch(current: number): number {
  let epoch: number;
  do epoch = randomInt(1, MAX_EPOCH);
  while (epoch === current);
  return epoch;
}

const draftList = z.array(draftSchema);

/** The drafts in a session's data; none when there are none, or they are not drafts. */
function draftsIn(data: SessionData): Draft[] {
  const parsed = draftList.safeParse(data[drafts.key]);
  return parsed.success ? parsed.data : [];
}

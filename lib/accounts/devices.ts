import { createHash } from "node:crypto";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import type { Database } from "@/lib/db/client";
import { z } from "zod";
import type { Draft } from "@/lib/memorials/drafts";
import { draftSchema, drafts } from "@/lib/memorials/drafts";
import type { SessionBase, SessionData } from "@/lib/sessions";
import { sessionAuthHash } from "./auth-hash";
import { carryDrafts } from "./carry";
import { HASH_KEY } from "./session-keys";

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
 * goes up, so every other session's `_auth_user_hash` stops matching and
 * reads as anonymous; this session gets the new hash. With the `accounts`
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
  const updated = await database.user.update({
    where: { id: user.id },
    data: { sessionEpoch: { increment: 1 } },
  });
  await deleteAccountSessions(database, session, user.id, session.sessionKey);
  await session.set(HASH_KEY, sessionAuthHash(updated));
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

const draftList = z.array(draftSchema);

/** The drafts in a session's data; none when there are none, or they are not drafts. */
function draftsIn(data: SessionData): Draft[] {
  const parsed = draftList.safeParse(data[drafts.key]);
  return parsed.success ? parsed.data : [];
}

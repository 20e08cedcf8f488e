import fs from "node:fs/promises";
import path from "node:path";
import type { Database } from "@/lib/db/client";
import type { SessionData, SessionStoreClass } from "@/lib/sessions";
import { SuspiciousSession } from "@/lib/sessions";
import { photoIdOfFile } from "./photo-files";

/**
 * `npm run clearphotos`: removes the photo files that nothing holds any more.
 * A visitor who uploads photos and never comes back leaves files that no
 * request will ever delete: their session simply expires. This sweep keeps
 * every photo that a live session's drafts or an account's memorial
 * refers to, and removes the rest once they are older than `graceMs` (an
 * upload writes its files before the session that refers to them is saved).
 *
 * Only engines whose sessions can be listed can be swept: `db`, `cached_db`
 * and `accounts` (a table) and `file` (a directory). Sessions in a cache or
 * in cookies cannot be listed, so no photo can be known to be unused there.
 *
 * It fails closed: a session whose signature does not verify (a wrong
 * `SECRET_KEY`, an older key missing from `SECRET_KEY_FALLBACKS`, corrupt
 * data) would read as empty, and its photos as nobody's, while the servers,
 * holding the right keys, still show them. So such a session stops the sweep
 * with `UnverifiableSession` before any file is removed.
 */

/** A session the sweep could not verify: nothing was removed. */
export class UnverifiableSession extends Error {
  constructor(reason: string) {
    super(
      `clearphotos: a session could not be verified (${reason}), so nothing was removed. ` +
        "Run it with the SECRET_KEY and SECRET_KEY_FALLBACKS the servers use.",
    );
    this.name = "UnverifiableSession";
  }
}

/** An hour: far longer than any upload takes between writing its files and saving the session. */
const DEFAULT_GRACE_MS = 60 * 60 * 1000;

/** Rows per query while reading a session table. */
const PAGE_SIZE = 1000;

const SWEEPABLE_ENGINES = ["db", "cached_db", "accounts", "file"] as const;

export interface PhotoSweep {
  engine: string;
  Store: SessionStoreClass;
  database: Database;
  uploadsDir: string;
  /** The file engine's directory and file prefix (SESSION_FILE_PATH, SESSION_COOKIE_NAME). */
  sessionFiles?: { dir: string; prefix: string };
  now?: Date;
  graceMs?: number;
}

/** Removes unused photo files; throws for an engine whose sessions cannot be listed. */
export async function sweepPhotos(sweep: PhotoSweep): Promise<{ removed: number; kept: number }> {
  const { uploadsDir, now = new Date(), graceMs = DEFAULT_GRACE_MS } = sweep;
  // Sessions before memorials: a login moves photos from a session into an account, never back,
  // so a photo moving while this runs is seen in one or the other.
  const held = await sessionPhotoIds(sweep, now);
  for (const { id } of await sweep.database.memorialPhoto.findMany({ select: { id: true } }))
    held.add(id);
  let removed = 0;
  let kept = 0;
  for (const name of await filesIn(uploadsDir)) {
    // Interrupted writes included: they belong to their photo's id.
    const id = photoIdOfFile(name);
    if (!id) continue;
    const file = path.join(uploadsDir, name);
    const stats = await fs.stat(file).catch(missingIsNull);
    if (!stats) continue;
    if (held.has(id) || now.getTime() - stats.mtimeMs < graceMs) {
      kept += 1;
      continue;
    }
    await fs.rm(file, { force: true });
    removed += 1;
  }
  return { removed, kept };
}

/** The photo ids in one session's drafts, read loosely: anything that looks like a reference is kept. */
export function photoIdsIn(data: SessionData): string[] {
  const ids: string[] = [];
  const drafts = Array.isArray(data.drafts) ? data.drafts : [];
  for (const draft of drafts) {
    if (!isObject(draft) || !Array.isArray(draft.photos)) continue;
    for (const photo of draft.photos)
      if (isObject(photo) && typeof photo.id === "string") ids.push(photo.id);
  }
  return ids;
}

async function sessionPhotoIds(sweep: PhotoSweep, now: Date): Promise<Set<string>> {
  const held = new Set<string>();
  const add = (data: SessionData) => photoIdsIn(data).forEach((id) => held.add(id));
  const { engine, database } = sweep;
  const Store = verifying(sweep.Store);
  if (engine === "file") {
    if (!sweep.sessionFiles) throw new Error("clearphotos: the file engine needs its directory");
    const { dir, prefix } = sweep.sessionFiles;
    for (const name of await filesIn(dir)) {
      if (!name.startsWith(prefix)) continue;
      // The engine reads the file: locks, expiry and bad signatures as for any request.
      const session = new Store(name.slice(prefix.length));
      add(Object.fromEntries(await unlessUnverifiable(() => session.items())));
    }
    return held;
  }
  if (!(SWEEPABLE_ENGINES as readonly string[]).includes(engine)) {
    throw new Error(
      `clearphotos: sessions of the ${engine} engine cannot be listed, so no photo can be known ` +
        `to be unused; the sweep needs one of ${SWEEPABLE_ENGINES.join(", ")}`,
    );
  }
  const decoder = new Store();
  let after: string | undefined;
  for (;;) {
    const rows = await liveRows(database, engine, now, after);
    for (const row of rows)
      add(await unlessUnverifiable(async () => decoder.decode(row.sessionData)));
    if (rows.length < PAGE_SIZE) return held;
    after = rows[rows.length - 1]!.sessionKey;
  }
}

/** What `verifying` needs of a session class. */
interface Decoding {
  decode(text: string): SessionData;
  decodeVerified(text: string): SessionData;
}

/** `Store`, reading a session it cannot verify as `SuspiciousSession` instead of as empty. */
function verifying(Store: SessionStoreClass): SessionStoreClass {
  const Base = Store as unknown as new (
    ...args: ConstructorParameters<SessionStoreClass>
  ) => Decoding;
  class Verifying extends Base {
    override decode(text: string): SessionData {
      return this.decodeVerified(text);
    }
  }
  return Object.assign(Verifying, {
    clearExpired: Store.clearExpired,
  }) as unknown as SessionStoreClass;
}

async function unlessUnverifiable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SuspiciousSession) throw new UnverifiableSession(error.message);
    throw error;
  }
}

/** A page of unexpired rows of the engine's table, in key order, after the key `after`. */
function liveRows(database: Database, engine: string, now: Date, after: string | undefined) {
  const query = {
    where: { expireDate: { gt: now }, ...(after && { sessionKey: { gt: after } }) },
    orderBy: { sessionKey: "asc" as const },
    select: { sessionKey: true, sessionData: true },
    take: PAGE_SIZE,
  };
  return engine === "accounts"
    ? database.accountSession.findMany(query)
    : database.session.findMany(query);
}

async function filesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(missingIsNull)) ?? [];
}

function missingIsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
  throw error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

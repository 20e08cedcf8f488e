import { Redis } from "ioredis";
import { getSessionStore, JSONSerializer } from "../../lib/sessions";
import type { SessionData } from "../../lib/sessions";
import { CACHE_KEY_PREFIX } from "../../lib/sessions/engines/cache";
import { DEFAULT_SESSION_MAX_SIZE } from "../../lib/sessions/settings";
import { b64Encode, TimestampSigner } from "../../lib/sessions/signing";
import type { Settings } from "../../lib/settings";
import { settings } from "../../lib/settings";
import type { BenchContext } from "./context";
import { AGE_SECONDS, libraryCycle, rawRedisCycle } from "./engines";
import { nextCounter, realisticSession } from "./payload";
import type { BenchCase, Closer, Operation } from "./runner";

/**
 * A session at SESSION_MAX_SIZE's default (256 KiB of JSON): what one load
 * and save of the largest session any engine accepts costs, against the
 * usual 700-byte session's cycle and against the raw store moving its
 * record; and what a record from before the cap (4 MiB of JSON, refused by
 * its length) costs to load. The text is Japanese, escaped as Django's JSON
 * escapes it (six bytes a character), the costliest an honest visitor writes.
 */

/** Varied CJK text (a fixed sequence, so every run stores the same): it compresses as prose does. */
function cjkText(characters: number): string {
  let seed = 20261207;
  let text = "";
  for (let i = 0; i < characters; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(0x4e00 + (seed % 3000));
  }
  return text;
}

/** The usual session, with a story that brings its JSON to `bytes` (within a character's six). */
export function sessionOf(bytes: number): SessionData {
  const data = realisticSession();
  const room = bytes - JSONSerializer.dumps({ ...data, story: "" }).length;
  return { ...data, story: cjkText(Math.floor(room / 6)) };
}

/** A stored session of `data` and the library's load-change-save cycle on it; also its record. */
async function cycleOn(engine: string, settings: Partial<Settings>, data: SessionData) {
  const Store = await getSessionStore(engine);
  const first = new Store(null, { settings });
  await first.update(data);
  await first.save();
  const key = first.sessionKey!;
  const cycle: Operation = async () => {
    const session = new Store(key, { settings });
    await session.set("counter", nextCounter(await session.get("counter")));
    await session.save();
  };
  return { cycle, key, encoded: first.encode(data) };
}

function redisClient(url: string, closers: Closer[]) {
  const redis = new Redis(url);
  closers.push(() => redis.quit());
  return redis;
}

const AT_CAP = `a session at the cap (${DEFAULT_SESSION_MAX_SIZE / 1024} KiB of JSON)`;
/** Just under the cap: room for the counter each cycle increments to grow a few digits. */
export const AT_CAP_BYTES = DEFAULT_SESSION_MAX_SIZE - 32;

export const SIZE_CAP_CASES: BenchCase<BenchContext>[] = [
  {
    name: `cache (Redis), ${AT_CAP} vs the usual 700-byte session`,
    async prepare({ redisUrl }) {
      const settings = { CACHES: { default: redisUrl } };
      const atCap = await cycleOn("cache", settings, sessionOf(AT_CAP_BYTES));
      const usual = await libraryCycle("cache", settings);
      return { subject: atCap.cycle, baseline: usual.cycle };
    },
  },
  {
    name: `cache (Redis), ${AT_CAP} vs ioredis GET+SET of its record`,
    async prepare({ redisUrl }, closers) {
      const settings = { CACHES: { default: redisUrl } };
      const atCap = await cycleOn("cache", settings, sessionOf(AT_CAP_BYTES));
      const redis = redisClient(redisUrl, closers);
      await redis.set("bench:raw-at-cap", atCap.encoded);
      return { subject: atCap.cycle, baseline: rawRedisCycle(redis, "bench:raw-at-cap") };
    },
  },
  {
    name: `db (SQLite), ${AT_CAP} vs the usual 700-byte session`,
    async prepare({ sqliteUrl }) {
      const settings = { DATABASE_URL: sqliteUrl };
      const atCap = await cycleOn("db", settings, sessionOf(AT_CAP_BYTES));
      const usual = await libraryCycle("db", settings);
      return { subject: atCap.cycle, baseline: usual.cycle };
    },
  },
  {
    name: "cache (Redis), loading a record from before the cap (4 MiB of JSON, read as empty) vs GET of it",
    async prepare({ redisUrl }, closers) {
      // 4 MiB of escaped JSON, signed uncompressed, built as text (serializing it through the
      // library would take the smoke test's budget). Larger records cost their fetch alone too,
      // but past some 30 MB that fetch outlasts the cache client's one-second timeout on a busy machine.
      const json = `{"story":"${"\\u732b".repeat((4 * 1024 * 1024) / 6)}"}`;
      const signer = new TimestampSigner({
        key: settings().SECRET_KEY,
        salt: "django.contrib.sessions.SessionStore",
      });
      const record = signer.sign(b64Encode(Buffer.from(json, "latin1")));
      const key = "benchoversized0000000000000000ab";
      const redis = redisClient(redisUrl, closers);
      await redis.set(`${CACHE_KEY_PREFIX}${key}`, record, "EX", AGE_SECONDS);
      await redis.set("bench:raw-oversized", record, "EX", AGE_SECONDS);
      const Store = await getSessionStore("cache");
      const options = { settings: { CACHES: { default: redisUrl } } };
      const load: Operation = async () => {
        const items = await new Store(key, options).items();
        if (items.length > 0) throw new Error("bench: the oversized record was read");
      };
      return { subject: load, baseline: () => redis.get("bench:raw-oversized") };
    },
  },
];

import type { z } from "zod";
import type { Json, SessionBase } from "./base";
import { logSuspicious } from "./log";

/**
 * A typed value in the session: declared once with a zod schema, validated
 * on every read. Data that no longer fits (written by an older version of
 * the app, or by another app sharing the session) reads as the fallback
 * instead of crashing a page, and is reported in the log.
 *
 * ```ts
 * const visitorName = sessionValue("visitorName", z.string().max(80), null);
 * const name = await visitorName.read(session); // string | null
 * await visitorName.write(session, "Ada");
 * ```
 */
export interface SessionValue<T> {
  readonly key: string;
  read(session: SessionBase): Promise<T>;
  write(session: SessionBase, value: T): Promise<void>;
  /**
   * Writes what `change` makes of the current value, through `session.alter`:
   * a request that changed this value meanwhile keeps its change, because
   * `change` runs again on its value. `change` must be pure.
   */
  change(session: SessionBase, change: (current: T) => T): Promise<void>;
  remove(session: SessionBase): Promise<void>;
}

export function sessionValue<Schema extends z.ZodType<Json>, Fallback>(
  key: string,
  schema: Schema,
  fallback: Fallback,
): SessionValue<z.output<Schema> | Fallback> {
  const valueOf = (raw: Json | undefined) => {
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    logSuspicious(`Session value "${key}" does not match its schema; using the fallback`);
    return fallback;
  };
  return {
    key,
    async read(session) {
      return valueOf(await session.get(key));
    },
    async write(session, value) {
      // Validated on the way in too: a bad write is a bug here, not a surprise for the next reader.
      await session.set(key, schema.parse(value));
    },
    async change(session, change) {
      await session.alter(key, (raw) => schema.parse(change(valueOf(raw))));
    },
    async remove(session) {
      if (await session.has(key)) await session.delete(key);
    },
  };
}

import type { Json, SessionData } from "@/lib/sessions";

/**
 * Showing a session key on a page without giving it away. A key is a bearer
 * credential: whoever has it *is* that visitor. The demos show only its first
 * and last few characters, enough to recognise it when it changes, far too
 * few to use.
 */

/** At most this many characters are shown from each end of a key. */
const SHOWN_EACH_END = 4;

/**
 * `abcd…wxyz` for a 32-character key. Shorter keys show fewer characters, so
 * that never more than a quarter of a key is revealed; no key shows "none".
 */
export function maskKey(key: string | null): string {
  if (!key) return "none";
  const each = Math.min(SHOWN_EACH_END, Math.floor(key.length / 8));
  if (each === 0) return "…";
  return `${key.slice(0, each)}…${key.slice(-each)}`;
}

/** What a masked value reads as. */
export const HIDDEN = "•••• (hidden)";

/**
 * The session's data for display: values of keys starting with `_auth` (who
 * is logged in, and the hash that keeps them logged in) are hidden, the rest
 * is shown as stored, sorted by key so the listing does not jump around.
 */
export function maskData(data: SessionData): [string, Json | typeof HIDDEN][] {
  return Object.keys(data)
    .sort()
    .map((key) => [key, key.startsWith("_auth") ? HIDDEN : data[key]!]);
}

/** Pretty-printed data for a `<pre>`: masked, two-space indented. */
export function prettyData(data: SessionData): string {
  return JSON.stringify(Object.fromEntries(maskData(data)), null, 2);
}

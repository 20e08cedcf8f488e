import { isPlainText, notPlainTextMessage } from "@/lib/plain-text";
import { LIMITS } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";

/**
 * The name form's field, as the session keeps it: trimmed and cut to
 * `LIMITS.nameLength` characters (the form's own limit). Empty, or not text
 * at all, is null: the visitor asked to be forgotten. A name that is not
 * plain text (`isPlainText`) is refused with a message.
 */
export function parseVisitorName(value: unknown): Outcome<string | null> {
  const name = (typeof value === "string" ? value : "").trim().slice(0, LIMITS.nameLength);
  if (!isPlainText(name)) return refused(notPlainTextMessage("Your name"));
  return ok(name || null);
}

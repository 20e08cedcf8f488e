import { z } from "zod";
import type { SessionTooLarge } from "@/lib/sessions";
import { CookieTooLarge, sessionValue } from "@/lib/sessions";
import { newId } from "./drafts";

/**
 * A message for the next page after a form post (a "flash"): kept in the
 * session with a random id, shown only when the page's `?notice=` carries
 * that id. Pages cannot write the session, so it is never cleared there;
 * the next notice replaces it, and a link with someone else's text shows
 * nothing.
 */
export const notice = sessionValue(
  "notice",
  z.object({ id: z.string().max(32), text: z.string().max(600) }),
  null,
);

export function newNotice(text: string) {
  return { id: newId(), text: text.slice(0, 600) };
}

/**
 * Problems that cannot be put in the session because the session itself is
 * the problem: shown by a fixed code in the address (`?problem=`).
 */
export const PROBLEMS = {
  "session-full":
    "That change did not fit: this site keeps your drafts in a browser cookie, which holds " +
    "about 4 KB. Nothing was lost, but the change was not saved. Shorten a story, remove a " +
    "photo or a draft, and try again. (If you run this site: a server-side session engine, " +
    "such as SESSION_ENGINE=db, has no such limit.)",
  "session-too-large":
    "That change did not fit: the session that keeps your drafts has a size limit, and this " +
    "change would take it past. Nothing was lost, but the change was not saved. Shorten a " +
    "story, remove a photo or a draft, and try again.",
} as const;

export type Problem = keyof typeof PROBLEMS;

/** The problem that explains a save refused as too large: a full cookie, or the session's cap. */
export function tooLargeProblem(error: SessionTooLarge): Problem {
  return error instanceof CookieTooLarge ? "session-full" : "session-too-large";
}

export function isProblem(code: unknown): code is Problem {
  return typeof code === "string" && Object.hasOwn(PROBLEMS, code);
}

import { z } from "zod";
import { sessionValue } from "@/lib/sessions";
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
} as const;

export type Problem = keyof typeof PROBLEMS;

export function isProblem(code: unknown): code is Problem {
  return typeof code === "string" && Object.hasOwn(PROBLEMS, code);
}

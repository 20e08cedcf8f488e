import { notFound, redirect } from "next/navigation";
import { CookieTooLarge } from "@/lib/sessions";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { findDraft } from "@/lib/memorials/draft-ops";
import type { Draft } from "@/lib/memorials/drafts";
import { drafts } from "@/lib/memorials/drafts";
import { newNotice, notice } from "@/lib/memorials/notice";

/** The visitor's drafts, and the one with this id; anything else is a 404, never a 500. */
export async function requireDraft(id: unknown): Promise<{ list: Draft[]; draft: Draft }> {
  const list = await drafts.read(await getSession());
  const draft = typeof id === "string" ? findDraft(list, id) : null;
  if (!draft) notFound();
  return { list, draft };
}

export async function saveDrafts(list: Draft[]): Promise<void> {
  await drafts.write(await getSession(), list);
}

/** Redirects (303 after a post) to `path`, showing `text` there once. */
export async function redirectWithNotice(path: string, text: string): Promise<never> {
  const value = newNotice(text);
  await notice.write(await getSession(), value);
  redirect(`${path}?notice=${value.id}`);
}

/**
 * `sessionAction`, plus what a cookie engine needs: when the session no
 * longer fits in its cookie, nothing is saved (the previous cookie stays)
 * and the visitor lands back on the page `back` names, with a message saying
 * what to do.
 */
export function visitorAction<Args extends unknown[]>(
  action: (...args: Args) => Promise<unknown>,
  back: (...args: Args) => string,
): (...args: Args) => Promise<void> {
  const committed = sessionAction(action);
  return async (...args) => {
    try {
      await committed(...args);
    } catch (error) {
      if (error instanceof CookieTooLarge) redirect(`${back(...args)}?problem=session-full`);
      throw error;
    }
  };
}

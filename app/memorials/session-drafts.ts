import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { endStaleLogin, loginWentStale } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { findDraft, replaceDraft } from "@/lib/memorials/draft-ops";
import type { Draft } from "@/lib/memorials/drafts";
import { drafts, visitorName } from "@/lib/memorials/drafts";
import { newNotice, notice } from "@/lib/memorials/notice";
import { backWhenSessionFull } from "../session-full";

/**
 * The visitor's drafts: none while the session holds a login that went stale
 * (the account logged this device out), as those drafts are that account's.
 * The visitor's next change hands them over (`endStaleLogin`).
 */
export async function visitorDrafts(): Promise<Draft[]> {
  const list = await drafts.read(await getSession());
  return list.length > 0 && (await staleLoginHere()) ? [] : list;
}

/** The name the visitor gave, hidden like the drafts while a stale login holds the session. */
export async function visitorNameHere(): Promise<string | null> {
  const name = await visitorName.read(await getSession());
  return name !== null && (await staleLoginHere()) ? null : name;
}

/**
 * `loginWentStale` for this request's session, asked once per request: the
 * header's greeting and the page both ask. The answer cannot change after it
 * is first asked: a render cannot write the session, and an action ends a
 * stale login (`visitorAction`) before anything here asks.
 */
const staleLoginHere = cache(async () => loginWentStale(db(), await getSession()));

/** The visitor's drafts, and the one with this id; anything else is a 404, never a 500. */
export async function requireDraft(id: unknown): Promise<{ list: Draft[]; draft: Draft }> {
  const list = await visitorDrafts();
  const draft = typeof id === "string" ? findDraft(list, id) : null;
  if (!draft) notFound();
  return { list, draft };
}

/**
 * Changes the visitor's drafts with `change`, which must be pure: when
 * another request (a second tab, an upload still running) saved the drafts
 * meanwhile, it runs again on what that request saved, so both changes stay.
 */
export async function changeDrafts(change: (list: Draft[]) => Draft[]): Promise<void> {
  await drafts.change(await getSession(), change);
}

/** Applies `change` to the draft with this id; a draft deleted meanwhile stays deleted. */
export async function changeDraft(id: string, change: (draft: Draft) => Draft): Promise<void> {
  await changeDrafts((list) => {
    const draft = findDraft(list, id);
    return draft ? replaceDraft(list, change(draft)) : list;
  });
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
 *
 * A visitor's actions take ids (text) and a form. A client may call an
 * action with any arguments at all; anything else addresses no draft, and
 * is a 404 before `action` or `back` sees it.
 */
const isIdOrForm = (arg: unknown): boolean => typeof arg === "string" || arg instanceof FormData;

export function visitorAction<Args extends unknown[]>(
  action: (...args: Args) => Promise<unknown>,
  back: (...args: Args) => string,
): (...args: Args) => Promise<void> {
  const committed = backWhenSessionFull<Args>(
    sessionAction(async (...args: Args) => {
      await endStaleLogin(db(), await getSession());
      return action(...args);
    }),
    back,
  );
  return async (...args) => {
    if (!args.every(isIdOrForm)) notFound();
    await committed(...args);
  };
}

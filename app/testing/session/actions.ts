"use server";

import { redirect } from "next/navigation";
import type { Json } from "@/lib/sessions";
import { getSessionStore } from "@/lib/sessions";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { requireTestRoutes } from "@/lib/testing-routes";

/** Counts a visit and goes back to the page: a Server Action that writes and redirects. */
export const countVisit = sessionAction(async () => {
  requireTestRoutes();
  const session = await getSession();
  await session.set("visits", Number((await session.get("visits")) ?? 0) + 1);
  redirect("/testing/session");
});

/** Writes, then fails: nothing may be saved. */
export const countThenFail = sessionAction(async () => {
  requireTestRoutes();
  await (await getSession()).set("visits", 99);
  throw new Error("deliberate failure in a server action");
});

/** Counts a visit while "another tab" logs out: the save finds its session gone. */
export const countWhileLoggedOut = sessionAction(async () => {
  requireTestRoutes();
  const session = await getSession();
  await session.set("visits", Number((await session.get("visits")) ?? 0) + 1);
  const SessionStore = await getSessionStore();
  await new SessionStore(session.sessionKey).flush();
  redirect("/testing/session");
});

/** At most two visits: counting a third refuses. */
const countUpToTwo = (current: Json | undefined): Json => {
  const count = Number(current ?? 0);
  if (count >= 2) throw new RangeError("two visits at most");
  return count + 1;
};

/** Counts a visit while "another tab" counts the second first: this count no longer fits. */
export const countWhileAnotherTabCounts = sessionAction(async () => {
  requireTestRoutes();
  const session = await getSession();
  await session.alter("visits", countUpToTwo);
  const SessionStore = await getSessionStore();
  const otherTab = new SessionStore(session.sessionKey);
  await otherTab.alter("visits", countUpToTwo);
  await otherTab.save();
  redirect("/testing/session");
});

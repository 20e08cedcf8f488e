"use server";

import { redirect } from "next/navigation";
import { flushAsLogout } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { flushAndProve, signProof } from "@/lib/how-it-works/flush-proof";
import { getSessionStore } from "@/lib/sessions";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { backWhenSessionFull } from "../../session-full";

const PAGE = "/how-it-works/logout";

/** Gives the demo something to forget. */
export const fillSession = backWhenSessionFull(
  sessionAction(async () => {
    const session = await getSession();
    await session.update({ "demo.petName": "Biscuit", "demo.favouriteWalk": "the beach at dusk" });
    redirect(PAGE);
  }),
  () => PAGE,
);

/**
 * Logout: `flush()` deletes the record, empties the data and forgets the key;
 * the commit then deletes the cookie. The old key is checked against the
 * store here, and only the signed result (with a masked key) reaches the page.
 */
export const flush = sessionAction(async () => {
  const session = await getSession();
  const Store = await getSessionStore();
  // As a real logout: a logged-in visitor's drafts are kept in their account, forgotten photos deleted.
  const proof = await flushAsLogout(db(), session, () => flushAndProve(session, Store));
  redirect(`${PAGE}?proof=${encodeURIComponent(signProof(proof, settings().SECRET_KEY))}`);
});

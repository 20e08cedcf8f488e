"use server";

import { redirect } from "next/navigation";
import { keepAccountDrafts } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { flushAndProve, signProof } from "@/lib/how-it-works/flush-proof";
import { getSessionStore } from "@/lib/sessions";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";

const PAGE = "/how-it-works/logout";

/** Gives the demo something to forget. */
export const fillSession = sessionAction(async () => {
  const session = await getSession();
  await session.update({ "demo.petName": "Biscuit", "demo.favouriteWalk": "the beach at dusk" });
  redirect(PAGE);
});

/**
 * Logout: `flush()` deletes the record, empties the data and forgets the key;
 * the commit then deletes the cookie. The old key is checked against the
 * store here, and only the signed result (with a masked key) reaches the page.
 */
export const flush = sessionAction(async () => {
  const session = await getSession();
  // A logged-in visitor's drafts belong to their account: kept there, as a real logout does.
  await keepAccountDrafts(db(), session);
  const proof = await flushAndProve(session, await getSessionStore());
  redirect(`${PAGE}?proof=${encodeURIComponent(signProof(proof, settings().SECRET_KEY))}`);
});

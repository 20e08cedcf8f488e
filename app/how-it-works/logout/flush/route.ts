import { flushAsLogout } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { flushAndProve, signProof } from "@/lib/how-it-works/flush-proof";
import { logoutRoute } from "@/lib/logout-route";
import { getSessionStore } from "@/lib/sessions";
import { getSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";

/**
 * The demo's logout: `flush()` deletes the record, empties the data and
 * forgets the key; the commit then deletes the cookie. The old key is checked
 * against the store here, and only the signed result (with a masked key)
 * reaches the page.
 */
export const POST = logoutRoute(async () => {
  const session = await getSession();
  const Store = await getSessionStore();
  // As a real logout: a logged-in visitor's drafts are kept in their account, forgotten photos deleted.
  const proof = await flushAsLogout(db(), session, () => flushAndProve(session, Store));
  return `/how-it-works/logout?proof=${encodeURIComponent(signProof(proof, settings().SECRET_KEY))}`;
});

import { logOut } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import { logoutRoute } from "@/lib/logout-route";
import { getSession } from "@/lib/sessions/next";

/** Logout from any page (the header's form): drafts kept in the account, the session flushed. */
export const POST = logoutRoute(async () => {
  await logOut(db(), await getSession());
  return "/";
});

import { getSession, withSession } from "@/lib/sessions/next";
import { benchRoutesEnabled, notFound } from "@/lib/bench-routes";

export const dynamic = "force-dynamic";

/**
 * The HTTP benchmark's subject: loads the visitor's session, counts the
 * visit, saves. scripts/bench/http.ts compares it with /bench/plain.
 */
export const GET = withSession(async () => {
  if (!benchRoutesEnabled()) return notFound();
  const session = await getSession();
  const visits = Number((await session.get("visits")) ?? 0) + 1;
  await session.set("visits", visits);
  return Response.json({ visits });
});

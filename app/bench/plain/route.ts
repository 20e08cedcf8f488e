import { benchRoutesEnabled, notFound } from "@/lib/bench-routes";

export const dynamic = "force-dynamic";

/**
 * The HTTP benchmark's baseline: /bench/session's answer without a session
 * (the count comes from the query string), so the difference between the
 * two is what the session costs.
 */
export function GET(request: Request): Response {
  if (!benchRoutesEnabled()) return notFound();
  const given = Number(new URL(request.url).searchParams.get("visits"));
  // A count that is not a count starts again, as a session that does not decode does.
  const visits = (Number.isSafeInteger(given) && given >= 0 ? given : 0) + 1;
  return Response.json({ visits });
}

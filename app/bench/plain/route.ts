import { benchRoutesEnabled, notFound } from "@/lib/bench-routes";

export const dynamic = "force-dynamic";

/**
 * The HTTP benchmark's baseline: /bench/session's answer without a session
 * (the count comes from the query string), so the difference between the
 * two is what the session costs.
 */
export function GET(request: Request): Response {
  if (!benchRoutesEnabled()) return notFound();
  const visits = Number(new URL(request.url).searchParams.get("visits") ?? 0) + 1;
  return Response.json({ visits });
}

import { checkHealth } from "@/lib/health";

// Always answered live: a cached health check would hide an outage.
export const dynamic = "force-dynamic";

/** `GET /healthz`: 200 when the site and its database answer, 503 otherwise. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

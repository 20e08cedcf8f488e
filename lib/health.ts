import { db } from "./db/client";
import { databaseProvider } from "./db/url";
import { settings } from "./settings";

export interface Health {
  status: "ok" | "unavailable";
  database: { provider: string; status: "ok" | "unavailable" };
}

/** Asks the database a trivial question; never throws and never reveals the URL. */
export async function checkHealth(): Promise<Health> {
  const provider = databaseProvider(settings().DATABASE_URL);
  try {
    await db().$queryRaw`SELECT 1`;
    return { status: "ok", database: { provider, status: "ok" } };
  } catch (error) {
    console.error(`evermore: health check: database unavailable (${(error as Error).name})`);
    return { status: "unavailable", database: { provider, status: "unavailable" } };
  }
}

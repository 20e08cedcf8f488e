import { getSession } from "@/lib/sessions/next";
import { SessionReadOnly } from "@/lib/sessions";
import { requireTestRoutes } from "@/lib/testing-routes";
import {
  countThenFail,
  countVisit,
  countWhileAnotherTabCounts,
  countWhileLoggedOut,
} from "./actions";

export const dynamic = "force-dynamic";

/**
 * A Server Component that reads the session, and (with ?write=1) tries to
 * write it, showing the error it must get, or (with ?fail=1) fails with a
 * 500 after reading it; and forms for the Server Actions of actions.ts. For the HTTP tests; 404 unless
 * EVERMORE_TEST_ROUTES=1.
 */
export default async function SessionTestPage({
  searchParams,
}: {
  searchParams: Promise<{ write?: string; fail?: string }>;
}) {
  requireTestRoutes();
  const session = await getSession();
  const visits = await session.get("visits");
  if ((await searchParams).fail === "1") throw new Error("deliberate failure in a page");
  let writeError: string | null = null;
  if ((await searchParams).write === "1") {
    try {
      await session.set("visits", 1000);
    } catch (error) {
      if (!(error instanceof SessionReadOnly)) throw error;
      writeError = error.message;
    }
  }
  return (
    <section>
      <h1>Session test page</h1>
      <p>
        Visits: <output id="visits">{visits === undefined ? "none" : String(visits)}</output>
      </p>
      {writeError && <p id="write-error">{writeError}</p>}
      <form action={countVisit}>
        <button type="submit">Count a visit</button>
      </form>
      <form action={countThenFail}>
        <button type="submit">Count, then fail</button>
      </form>
      <form action={countWhileLoggedOut}>
        <button type="submit">Count while another tab logs out</button>
      </form>
      <form action={countWhileAnotherTabCounts}>
        <button type="submit">Count while another tab counts the last allowed</button>
      </form>
    </section>
  );
}

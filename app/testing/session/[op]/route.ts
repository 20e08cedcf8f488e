import { getSession, withSession } from "@/lib/sessions/next";
import { getSessionStore } from "@/lib/sessions";
import { testRoutesEnabled } from "@/lib/testing-routes";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ op: string }> };

/**
 * One operation on the request's session per URL, for the HTTP tests of
 * lib/sessions/next (e2e/server/session/*.spec.ts). 404 unless
 * EVERMORE_TEST_ROUTES=1.
 */
const operations: Record<string, () => Promise<Response>> = {
  async nothing() {
    return Response.json({});
  },
  async read() {
    return Response.json({ visits: (await (await getSession()).get("visits")) ?? null });
  },
  async write() {
    const session = await getSession();
    const visits = Number((await session.get("visits")) ?? 0) + 1;
    await session.set("visits", visits);
    return Response.json({ visits });
  },
  async state() {
    const session = await getSession();
    return Response.json({
      items: Object.fromEntries(await session.items()),
      expiryAge: await session.getExpiryAge(),
      expireAtBrowserClose: await session.getExpireAtBrowserClose(),
    });
  },
  async flush() {
    await (await getSession()).flush();
    return Response.json({ flushed: true });
  },
  async cycle() {
    await (await getSession()).cycleKey();
    return Response.json({ cycled: true });
  },
  async "browser-close"() {
    const session = await getSession();
    await session.setExpiry(0);
    await session.set("visits", 1);
    return Response.json({});
  },
  async "expire-in-2s"() {
    const session = await getSession();
    await session.setExpiry(2);
    await session.set("visits", 1);
    return Response.json({});
  },
  async fail() {
    await (await getSession()).set("visits", 99);
    return Response.json({ error: "deliberate" }, { status: 500 });
  },
  async throw() {
    await (await getSession()).set("visits", 99);
    throw new Error("deliberate failure in a route handler");
  },
  /** Changes the session while another request logs it out: the save must not resurrect it. */
  async interrupt() {
    const session = await getSession();
    await session.set("visits", 1);
    const SessionStore = await getSessionStore();
    await new SessionStore(session.sessionKey).flush();
    return Response.json({});
  },
};

async function handle(_request: Request, { params }: Context): Promise<Response> {
  const operation = operations[(await params).op];
  if (!testRoutesEnabled() || !operation) return new Response("Not found", { status: 404 });
  return operation();
}

export const GET = withSession(handle);
export const POST = withSession(handle);

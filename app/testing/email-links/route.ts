import { z } from "zod";
import { emailVerificationTokens, passwordResetTokens, uidFor } from "@/lib/accounts/tokens";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/settings";
import { testRoutesEnabled } from "@/lib/testing-routes";

export const dynamic = "force-dynamic";

const request = z.object({
  email: z.string(),
  route: z.enum(["verify", "reset"]),
  /** How long ago the link was sent: past PASSWORD_RESET_TIMEOUT, it has expired. */
  ageSeconds: z.number().int().min(0),
});

/**
 * For the link stories (e2e/accounts-email.spec.ts): the link the site would
 * have emailed `ageSeconds` ago, a real token made with a past clock, since
 * a browser test cannot wait three days. 404 unless EVERMORE_TEST_ROUTES=1.
 */
export async function POST(incoming: Request) {
  if (!testRoutesEnabled()) return new Response("Not found", { status: 404 });
  const body: unknown = await incoming.json().catch((error: Error) => error.message);
  const parsed = request.safeParse(body);
  if (!parsed.success) return Response.json({ error: parsed.error.message }, { status: 400 });
  const { email, route, ageSeconds } = parsed.data;
  const user = await db().user.findUnique({ where: { email } });
  if (!user) return Response.json({ error: "no such account" }, { status: 404 });
  const tokens = route === "verify" ? emailVerificationTokens : passwordResetTokens;
  const token = tokens.makeToken(user, { now: new Date(Date.now() - ageSeconds * 1000) });
  return Response.json({ link: `${settings().SITE_URL}/${route}/${uidFor(user.id)}/${token}` });
}

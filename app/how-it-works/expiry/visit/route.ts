import { expiryDemo, recordSave } from "@/lib/how-it-works/sent-cookie";
import { getSession, withSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";

/**
 * "I'm still here": a visit that saves the session. Django measures an
 * inactivity expiry from the last *save*, and a page that only reads the
 * session saves nothing (unless SESSION_SAVE_EVERY_REQUEST is on). So this
 * visit notes itself in the demo's record, which marks the session modified:
 * the commit saves it and sends the cookie again with a fresh Max-Age. A
 * visitor who has not tried the demo gets no session from it.
 */
export const GET = withSession(async () => {
  const session = await getSession();
  const demo = await expiryDemo.read(session);
  if (demo) await recordSave(session, demo.lifetime, settings());
  // Relative: behind `next start` the request's URL may name another host than the browser used.
  return new Response(null, { status: 303, headers: { Location: "/how-it-works/expiry" } });
});

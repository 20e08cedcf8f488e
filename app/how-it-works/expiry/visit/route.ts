import { expiryDemo, recordSave } from "@/lib/how-it-works/sent-cookie";
import { SessionTooLarge } from "@/lib/sessions";
import { getSession, withSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { seeOther } from "../../../see-other";
import { sessionFullAddress } from "../../../session-full";

const PAGE = "/how-it-works/expiry";

/**
 * "I'm still here": a visit that saves the session. Django measures an
 * inactivity expiry from the last *save*, and a page that only reads the
 * session saves nothing (unless SESSION_SAVE_EVERY_REQUEST is on). So this
 * visit notes itself in the demo's record, which marks the session modified:
 * the commit saves it and sends the cookie again with a fresh Max-Age. A
 * visitor who has not tried the demo gets no session from it.
 */
const noteVisit = withSession(async () => {
  const session = await getSession();
  const demo = await expiryDemo.read(session);
  if (demo) await recordSave(session, demo.lifetime, settings());
  return seeOther(PAGE);
});

/** A session already nearly full (a cookie's 4 KB, or the size cap) may not take the note: the page says so. */
export async function GET(request: Request): Promise<Response> {
  try {
    return await noteVisit(request, {});
  } catch (error) {
    if (error instanceof SessionTooLarge) return seeOther(sessionFullAddress(PAGE, error));
    throw error;
  }
}

"use server";

import { redirect } from "next/navigation";
import { isLocalPath } from "@/lib/local-path";
import { visitorName } from "@/lib/memorials/drafts";
import { getSession } from "@/lib/sessions/next";
import { visitorAction } from "./memorials/session-drafts";

/**
 * Remembers what the visitor asked to be called (nothing else: no account);
 * an empty name forgets it. Goes back to the page the form was on.
 */
export const rememberName = visitorAction(
  async (form: FormData) => {
    const session = await getSession();
    const name = String(form.get("name") ?? "")
      .trim()
      .slice(0, 80);
    if (name) await visitorName.write(session, name);
    else await visitorName.remove(session);
    redirect(safeReturnPath(form.get("back")));
  },
  (form) => safeReturnPath(form.get("back")),
);

/** Only a path on this site: a form field must not send the visitor elsewhere. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  return typeof value === "string" && isLocalPath(value) ? value : "/";
}

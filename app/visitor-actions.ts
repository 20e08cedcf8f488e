"use server";

import { redirect } from "next/navigation";
import { formFields } from "@/lib/form-fields";
import { isLocalPath } from "@/lib/local-path";
import { visitorName } from "@/lib/memorials/drafts";
import { parseVisitorName } from "@/lib/memorials/visitor-name";
import { getSession } from "@/lib/sessions/next";
import { redirectWithNotice, visitorAction } from "./memorials/session-drafts";

/**
 * Remembers what the visitor asked to be called (nothing else: no account);
 * an empty name forgets it. Goes back to the page the form was on, with a
 * message there when the name was refused.
 */
export const rememberName = visitorAction(
  async (form: FormData) => {
    const session = await getSession();
    const fields = formFields(form);
    const back = safeReturnPath(fields.back);
    const name = parseVisitorName(fields.name);
    if (!name.ok) await redirectWithNotice(back, name.message);
    else if (name.value) await visitorName.write(session, name.value);
    else await visitorName.remove(session);
    redirect(back);
  },
  (form) => safeReturnPath(formFields(form).back),
);

/** Only a path on this site: a form field must not send the visitor elsewhere. */
function safeReturnPath(value: unknown): string {
  return typeof value === "string" && isLocalPath(value) ? value : "/";
}

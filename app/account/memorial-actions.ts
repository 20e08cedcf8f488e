"use server";

import { notFound, redirect } from "next/navigation";
import {
  editMemorial,
  parseMemorialEdit,
  parseMemorialId,
  setPublished,
} from "@/lib/accounts/memorials";
import { MAIL_DOWN } from "@/lib/accounts/account-mail";
import { clientIp, currentUser } from "@/lib/accounts/request";
import { resendVerification } from "@/lib/accounts/verification";
import { db } from "@/lib/db/client";
import { formFields } from "@/lib/form-fields";
import { sessionAction } from "@/lib/sessions/next";
import { redirectWithNotice } from "../memorials/session-drafts";
import { backWhenSessionFull } from "../session-full";

/** The owner and the memorial id of a form, or the visitor is sent to log in. */
async function ownerAndId(fields: Record<string, unknown>) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const id = parseMemorialId(fields.id);
  if (id === null) notFound();
  return { ownerId: user.id, id };
}

/** A refusal's notice may not fit a cookie engine's full cookie: then the page says that instead. */
export const editMemorialAction = backWhenSessionFull(
  sessionAction(async (form: FormData) => {
    const fields = formFields(form);
    const { ownerId, id } = await ownerAndId(fields);
    const parsed = parseMemorialEdit(fields);
    // The form's own limits (required, maxLength) stop most of this in a browser, not pasted controls.
    if (!parsed.ok) {
      return redirectWithNotice(
        `/account/memorials/${id}`,
        `${parsed.message} Nothing was changed.`,
      );
    }
    if (!(await editMemorial(db(), ownerId, id, parsed.value))) notFound();
    redirect(`/account/memorials/${id}?saved=1`);
  }),
  (form) => {
    const id = parseMemorialId(form instanceof FormData ? form.get("id") : null);
    return id === null ? "/account" : `/account/memorials/${id}`;
  },
);

export const setPublishedAction = sessionAction(async (form: FormData) => {
  const fields = formFields(form);
  const user = await currentUser();
  if (!user) redirect("/login");
  const id = parseMemorialId(fields.id);
  if (id === null) notFound();
  const outcome = await setPublished(db(), user, id, fields.published === "true");
  if (outcome === "missing") notFound();
  redirect(`/account/memorials/${id}${outcome === "unconfirmed" ? "?confirm=needed" : ""}`);
});

/** A new confirmation link for the logged-in, unconfirmed owner; back to where they were. */
export const resendVerificationAction = sessionAction(async (form: FormData) => {
  const user = await currentUser();
  if (!user) redirect("/login");
  const id = parseMemorialId(formFields(form).id);
  const back = id === null ? "/account" : `/account/memorials/${id}`;
  const problem = await resendVerification(db(), { email: user.email, ip: await clientIp() });
  redirect(
    `${back}?confirm=${problem === null ? "sent" : problem === MAIL_DOWN ? "down" : "wait"}`,
  );
});

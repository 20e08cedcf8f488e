"use server";

import { redirect } from "next/navigation";
import { formFields } from "@/lib/form-fields";
import { parseExpiryChoice } from "@/lib/how-it-works/expiry-choice";
import { recordSave } from "@/lib/how-it-works/sent-cookie";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { backWhenSessionFull } from "../../session-full";

const PAGE = "/how-it-works/expiry";

/** Applies the visitor's choice with `setExpiry`; a refused choice changes nothing and says why. */
export const chooseExpiry = backWhenSessionFull(
  sessionAction(async (form: FormData) => {
    const choice = parseExpiryChoice(formFields(form), settings().SESSION_COOKIE_AGE);
    if (!choice.ok) redirect(`${PAGE}?problem=${choice.problem}`);
    const session = await getSession();
    await session.setExpiry(choice.expiry);
    await recordSave(session, choice.lifetime, settings());
    redirect(PAGE);
  }),
  () => PAGE,
);

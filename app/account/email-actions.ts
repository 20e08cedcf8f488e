"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { resetPassword, requestPasswordReset } from "@/lib/accounts/password-reset";
import { clientIp, currentDevice } from "@/lib/accounts/request";
import { deviceCookie } from "@/lib/accounts/trusted-device";
import { confirmEmail, resendVerification } from "@/lib/accounts/verification";
import { db } from "@/lib/db/client";
import { formFields } from "@/lib/form-fields";
import { getSession, sessionAction } from "@/lib/sessions/next";

/** What an email-only form (a reset request, a new confirmation link) shows after a refusal. */
export interface EmailFormState {
  error: string | null;
  email: string;
}

function emailOf(form: FormData): string {
  const { email } = formFields(form);
  return typeof email === "string" ? email : "";
}

/** "Forgotten your password?": the same answer for any address, on its own page. */
export const requestPasswordResetAction = sessionAction(
  async (_previous: EmailFormState, form: FormData): Promise<EmailFormState> => {
    const email = emailOf(form);
    const error = await requestPasswordReset(db(), { email, ip: await clientIp() });
    if (error) return { error, email };
    redirect("/password-reset/sent");
  },
);

/** A new confirmation link, asked for from a link that no longer works. */
export const resendVerificationByEmailAction = sessionAction(
  async (_previous: EmailFormState, form: FormData): Promise<EmailFormState> => {
    const email = emailOf(form);
    const error = await resendVerification(db(), { email, ip: await clientIp() });
    if (error) return { error, email };
    redirect("/verify/sent");
  },
);

/** A link's own address, to go back to when it did not work: its page says why. */
function linkPath(route: "verify" | "reset", uid: unknown, token: unknown): string {
  const part = (value: unknown) => encodeURIComponent(typeof value === "string" ? value : "");
  return `/${route}/${part(uid)}/${part(token)}`;
}

/** Follows a confirmation link (its page's button): confirmed and logged in, or back to say why not. */
export const confirmEmailAction = sessionAction(async (form: FormData) => {
  const { uid, token } = formFields(form);
  const session = await getSession();
  const confirmed = await confirmEmail(db(), session, uid, token, await currentDevice());
  if (!confirmed.email) redirect(linkPath("verify", uid, token));
  (await cookies()).set(deviceCookie(confirmed.email));
  redirect("/account?confirmed=1");
});

/** What the new-password form shows after a refusal. */
export interface NewPasswordState {
  error: string | null;
}

/** Sets the new password of a reset link; then every device, this one too, logs in afresh. */
export const resetPasswordAction = sessionAction(
  async (_previous: NewPasswordState, form: FormData): Promise<NewPasswordState> => {
    const { uid, token, password } = formFields(form);
    const outcome = await resetPassword(db(), await getSession(), {
      uid,
      token,
      password: typeof password === "string" ? password : "",
    });
    if (outcome.done) redirect("/login?reset=1");
    if (outcome.message) return { error: outcome.message };
    // The link stopped working meanwhile: its page says so, and offers a new one.
    redirect(linkPath("reset", uid, token));
  },
);

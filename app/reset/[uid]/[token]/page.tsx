import type { Metadata } from "next";
import { lifetime } from "@/lib/accounts/mail-messages";
import { PASSWORD_MIN_LENGTH } from "@/lib/accounts/passwords";
import { resetState } from "@/lib/accounts/password-reset";
import { db } from "@/lib/db/client";
import { requestPasswordResetAction, resetPasswordAction } from "../../../account/email-actions";
import { EmailForm, NewPasswordForm } from "../../../account/email-forms";

// The token is in the address: no Referer takes it to another site. Not "no-referrer": a form
// posted under it sends `Origin: null`, which Server Actions refuse.
export const metadata: Metadata = { title: "Choose a new password", referrer: "same-origin" };

type Props = { params: Promise<{ uid: string; token: string }> };

/**
 * The link from the reset email: a new password, or, for a link that no
 * longer works, why, kindly, and a form for a new one.
 */
export default async function ResetPasswordPage({ params }: Props) {
  const { uid, token } = await params;
  const { state, user } = await resetState(db(), uid, token);

  if (state === "valid" && user) {
    return (
      <section className="hero">
        <h1>Choose a new password</h1>
        <p className="lede">
          For {user.email}. Saving it logs out every device that is logged in to your account, this
          one too; then log in with the new password.
        </p>
        <NewPasswordForm
          action={resetPasswordAction}
          uid={uid}
          token={token}
          email={user.email}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        />
      </section>
    );
  }
  return (
    <section className="hero">
      <h1>{state === "expired" ? "This link has expired" : "This link does not work"}</h1>
      <p className="lede">
        {state === "expired"
          ? `Reset links work for ${lifetime()}, and this one is older. No harm done: we can send you a new one.`
          : "Each link works once, and not after a login or a new password; it may also have been cut short on its way. No harm done: we can send you a new one."}
      </p>
      <EmailForm action={requestPasswordResetAction} submitLabel="Email me a new link" />
    </section>
  );
}

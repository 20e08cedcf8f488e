import type { Metadata } from "next";
import Link from "next/link";
import { lifetime } from "@/lib/accounts/mail-messages";
import { verificationState } from "@/lib/accounts/verification";
import { db } from "@/lib/db/client";
import {
  confirmEmailAction,
  resendVerificationByEmailAction,
} from "../../../account/email-actions";
import { EmailForm } from "../../../account/email-forms";

// The token is in the address: no Referer takes it to another site. Not "no-referrer": a form
// posted under it sends `Origin: null`, which Server Actions refuse.
export const metadata: Metadata = { title: "Confirm your email", referrer: "same-origin" };

type Props = { params: Promise<{ uid: string; token: string }> };

/**
 * The link from the sign-up email. Opening it changes nothing (mail
 * scanners open links too); its button confirms and logs in. A link that no
 * longer works says why, kindly, and offers a new one.
 */
export default async function VerifyEmailPage({ params }: Props) {
  const { uid, token } = await params;
  const { state, user } = await verificationState(db(), uid, token);

  if (state === "valid" && user) {
    return (
      <section className="hero">
        <h1>Confirm your email</h1>
        <p className="lede">
          One click confirms {user.email} and logs you in on this device. Anything you drafted here
          moves into your account.
        </p>
        <form action={confirmEmailAction}>
          <input type="hidden" name="uid" value={uid} />
          <input type="hidden" name="token" value={token} />
          <p>
            <button type="submit" className="button">
              Confirm and log in
            </button>
          </p>
        </form>
      </section>
    );
  }
  if (state === "used") {
    return (
      <section className="hero">
        <h1>Your email is already confirmed</h1>
        <p className="lede">This link has done its work. Log in to carry on.</p>
        <p>
          <Link href="/login" className="button">
            Log in
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section className="hero">
      <h1>{state === "expired" ? "This link has expired" : "This link does not work"}</h1>
      <p className="lede">
        {state === "expired"
          ? `Confirmation links work for ${lifetime()}, and this one is older. No harm done: we can send you a new one.`
          : "It may have been cut short on its way, or replaced by a newer one. No harm done: we can send you a new one."}
      </p>
      <EmailForm action={resendVerificationByEmailAction} submitLabel="Send me a new link" />
    </section>
  );
}

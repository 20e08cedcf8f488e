import type { Metadata } from "next";
import Link from "next/link";
import { requestPasswordResetAction } from "../account/email-actions";
import { EmailForm } from "../account/email-forms";

export const metadata: Metadata = { title: "Forgotten your password?" };

export default function PasswordResetPage() {
  return (
    <section className="hero">
      <h1>Forgotten your password?</h1>
      <p className="lede">
        Give the address you signed up with, and we will email you a link to choose a new one.
      </p>
      <EmailForm action={requestPasswordResetAction} submitLabel="Email me a link" />
      <p>
        Remembered it? <Link href="/login">Log in</Link>.
      </p>
    </section>
  );
}

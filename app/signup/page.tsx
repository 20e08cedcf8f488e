import type { Metadata } from "next";
import Link from "next/link";
import { PASSWORD_MIN_LENGTH } from "@/lib/accounts/passwords";
import { signUpAction } from "../account/actions";
import { CredentialsForm } from "../account/credentials-form";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <section className="hero">
      <h1>Keep them for good</h1>
      <p className="lede">
        An account keeps your memorials safe and lets you share them. Everything you drafted on this
        device moves into it.
      </p>
      <CredentialsForm
        action={signUpAction}
        submitLabel="Create my account"
        passwordAutocomplete="new-password"
        passwordHint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
      />
      <p>
        Already have an account? <Link href="/login">Log in</Link>.
      </p>
    </section>
  );
}

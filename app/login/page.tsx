import type { Metadata } from "next";
import Link from "next/link";
import { logInAction } from "../account/actions";
import { CredentialsForm } from "../account/credentials-form";

export const metadata: Metadata = { title: "Log in" };

export default function LogInPage() {
  return (
    <section className="hero">
      <h1>Welcome back</h1>
      <p className="lede">
        Log in to see your memorials. Drafts you began on this device come along.
      </p>
      <CredentialsForm
        action={logInAction}
        submitLabel="Log in"
        passwordAutocomplete="current-password"
      />
      <p>
        New here? <Link href="/signup">Create an account</Link>.
      </p>
    </section>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { logInAction } from "../account/actions";
import { CredentialsForm } from "../account/credentials-form";

export const metadata: Metadata = { title: "Log in" };

type Props = { searchParams: Promise<{ reset?: string }> };

export default async function LogInPage({ searchParams }: Props) {
  const { reset } = await searchParams;
  return (
    <section className="hero">
      <h1>Welcome back</h1>
      {reset && (
        <p className="notice" role="status">
          Your new password is saved, and every device is logged out. Log in with it now.
        </p>
      )}
      <p className="lede">
        Log in to see your memorials. Drafts you began on this device come along.
      </p>
      <CredentialsForm
        action={logInAction}
        submitLabel="Log in"
        passwordAutocomplete="current-password"
      />
      <p>
        <Link href="/password-reset">Forgotten your password?</Link>
      </p>
      <p>
        New here? <Link href="/signup">Create an account</Link>.
      </p>
    </section>
  );
}

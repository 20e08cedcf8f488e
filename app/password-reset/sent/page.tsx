import type { Metadata } from "next";
import Link from "next/link";
import { lifetime } from "@/lib/accounts/mail-messages";

export const metadata: Metadata = { title: "Check your inbox" };

/** After a reset request: the same words whether or not the address has an account. */
export default function PasswordResetSentPage() {
  return (
    <section className="hero">
      <h1>Check your inbox</h1>
      <p className="lede">
        If an account uses that address, we have sent it a link to choose a new password. The link
        works once, for {lifetime()}.
      </p>
      <p>
        Nothing there after a few minutes? Look in your spam folder, or{" "}
        <Link href="/password-reset">ask again</Link>.
      </p>
    </section>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Check your inbox" };

/**
 * After any sign-up: the same words whether the address was new or already
 * had an account. Only the email, in the owner's inbox, says which.
 */
export default function SignUpSentPage() {
  return (
    <section className="hero">
      <h1>Check your inbox</h1>
      <p className="lede">
        We have sent an email to the address you gave. Its link confirms the address and logs you
        in; if the address already has an account, the email says how to log in instead.
      </p>
      <p>
        Nothing there after a few minutes? Look in your spam folder, or{" "}
        <Link href="/signup">try again</Link>.
      </p>
    </section>
  );
}

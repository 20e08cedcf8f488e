import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Check your inbox" };

/** After asking for a new confirmation link: the same words for any address. */
export default function VerifySentPage() {
  return (
    <section className="hero">
      <h1>Check your inbox</h1>
      <p className="lede">
        If that address has an account waiting to be confirmed, a new link is on its way to it.
      </p>
      <p>
        Already confirmed? <Link href="/login">Log in</Link>.
      </p>
    </section>
  );
}

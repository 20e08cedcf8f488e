import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "How this site remembers you" };

const DEMOS = [
  {
    href: "/how-it-works/test-cookie",
    title: "Can your browser keep a cookie?",
    text: "A two-step check, the same one a login page makes, and what we say when cookies are blocked.",
  },
  {
    href: "/how-it-works/expiry",
    title: "How long we remember",
    text: "Until you close the browser, an hour after your last visit, until a day you pick, or for as long as we usually do.",
  },
  {
    href: "/how-it-works/logout",
    title: "Forgetting you on purpose",
    text: "What logging out clears away, and proof that the old key opens nothing any more.",
  },
  {
    href: "/how-it-works/inspector",
    title: "Look inside your session",
    text: "Everything we keep for you right now, with the private parts masked.",
  },
];

export default function HowItWorksPage() {
  return (
    <>
      <section className="hero">
        <p className="eyebrow">Behind the scenes</p>
        <h1>How this site remembers you</h1>
        <p className="lede">
          You can start a memorial without an account, and find your drafts waiting when you come
          back. Here is how that works, in plain words, with small demonstrations you can try.
        </p>
      </section>

      <section className="card">
        <h2>A numbered coat-check ticket</h2>
        <p>
          When you first save something, we keep it on our side and give your browser a small
          ticket: a cookie holding a long random number, your <em>session key</em>. Each time you
          come back, your browser shows the ticket and we find your things. The ticket itself holds
          nothing about you, and nobody can guess it.
        </p>
        <p>
          We only hand out a ticket once there is something to remember. Logging out tears it up:
          your things are cleared away and the old number stops working.
        </p>
      </section>

      <section className="hiw-demos" aria-label="Demonstrations">
        {DEMOS.map((demo) => (
          <article className="card" key={demo.href}>
            <h2>
              <Link href={demo.href}>{demo.title}</Link>
            </h2>
            <p>{demo.text}</p>
          </article>
        ))}
      </section>

      <details className="card">
        <summary>For developers</summary>
        <p>
          Sessions here are Django&apos;s <code>django.contrib.sessions</code>, ported to the
          Next.js App Router in <code>lib/sessions</code>: the same API (<code>setExpiry</code>,{" "}
          <code>flush</code>, <code>cycleKey</code>, the test cookie), the same{" "}
          <code>accessed</code>/<code>modified</code> flags and the same wire format. The store is
          chosen by <code>SESSION_ENGINE</code>: a database table, a cache, both, files, or the
          cookie itself. Pages only read the session; changes happen in Server Actions wrapped with{" "}
          <code>sessionAction</code> and Route Handlers wrapped with <code>withSession</code>, which
          save the session and send the cookie when the request ends. Every demonstration works
          without JavaScript.
        </p>
      </details>
    </>
  );
}

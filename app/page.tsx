import Link from "next/link";
import { visitorNameHere } from "./memorials/session-drafts";
import { NameForm } from "./name-form";
import type { NoticeParams } from "./notice";
import { Notice } from "./notice";

export default async function HomePage({ searchParams }: { searchParams: Promise<NoticeParams> }) {
  const name = await visitorNameHere();
  return (
    <>
      <section className="hero">
        {name && <p className="welcome">Welcome back, {name}.</p>}
        <p className="eyebrow">A place to remember</p>
        <h1>Every paw print stays with us.</h1>
        <p className="lede">
          Evermore keeps the name, the photos and the stories of the animals who shared your life —
          gently, at your own pace, with no account needed to begin.
        </p>
        <p className="hero-actions">
          <Link href="/memorials/new" className="button">
            Start a memorial
          </Link>
        </p>
        <Notice params={await searchParams} />
        <NameForm name={name} />
      </section>

      <section className="promises" aria-label="What Evermore offers">
        <article className="card">
          <h2>Begin without signing up</h2>
          <p>
            Start a memorial the moment you arrive. Your drafts wait for you, visit after visit, on
            this device.
          </p>
        </article>
        <article className="card">
          <h2>Photos and stories</h2>
          <p>
            Add the pictures you love and write as much as you like. Nothing is shared until you
            choose to publish.
          </p>
        </article>
        <article className="card">
          <h2>Keep it for good</h2>
          <p>
            When you create an account, everything you drafted comes with you — nothing left behind.
          </p>
        </article>
      </section>
    </>
  );
}

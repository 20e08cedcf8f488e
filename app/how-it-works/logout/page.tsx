import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { FlushProof } from "@/lib/how-it-works/flush-proof";
import { oldKeyIsDead, readProof } from "@/lib/how-it-works/flush-proof";
import { maskKey, prettyData } from "@/lib/how-it-works/mask";
import { getSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { Notice } from "../../notice";
import { fillSession } from "./actions";

export const metadata: Metadata = { title: "Forgetting you on purpose" };

export default async function LogoutPage({
  searchParams,
}: {
  searchParams: Promise<{ proof?: string; problem?: string }>;
}) {
  const { SECRET_KEY, SESSION_COOKIE_NAME } = settings();
  const { proof: proofText, problem } = await searchParams;
  const proof = readProof(proofText, SECRET_KEY);
  const session = await getSession();
  const data = Object.fromEntries(await session.items());
  const hasCookie = (await cookies()).has(SESSION_COOKIE_NAME);
  return (
    <>
      <h1>Forgetting you on purpose</h1>
      <p className="lede">
        Logging out should leave nothing behind: not the things we kept, not the cookie, and not a
        key that someone could reuse. Here you can watch all three go.
      </p>
      <Notice params={{ problem }} />
      {proof && <FlushResult proof={proof} />}
      {proofText && !proof && (
        <div className="notice problem" role="alert">
          <p>
            We could not check that result: it is more than ten minutes old, or it was changed on
            the way. Log out again to see a fresh one.
          </p>
        </div>
      )}
      <section className="card" aria-labelledby="right-now">
        <h2 id="right-now">Your session right now</h2>
        <dl className="facts">
          <dt>Session key</dt>
          <dd data-testid="current-key">{maskKey(session.sessionKey)}</dd>
          <dt>Session cookie</dt>
          <dd data-testid="current-cookie">
            {hasCookie ? "your browser sent one with this page" : "your browser sent none"}
          </dd>
        </dl>
        <pre data-testid="current-data">{prettyData(data)}</pre>
        <form action={fillSession}>
          <button className="button quiet" type="submit">
            Put something in my session
          </button>
        </form>
        {session.sessionKey && (
          <form action="/how-it-works/logout/flush" method="post">
            <button className="button" type="submit">
              Log out (flush my session)
            </button>
          </form>
        )}
      </section>
      <details className="card">
        <summary>For developers</summary>
        <p>
          The button posts to a Route Handler calling <code>session.flush()</code>: the record is
          deleted at once, the data emptied and the key forgotten; the commit then sends a deletion
          cookie, and <code>Clear-Site-Data: &quot;cache&quot;</code> tells the browser to forget
          the pages and photos it kept (a Server Action could not send that header). Right after the
          flush the action opens a fresh session with the old key and asks the store (
          <code>exists</code>, then a load). The key never leaves the server: the page receives only
          the result, signed, with the key masked.
        </p>
      </details>
    </>
  );
}

function FlushResult({ proof }: { proof: FlushProof }) {
  const dead = oldKeyIsDead(proof);
  return (
    <section className={`notice ${dead ? "good" : "problem"}`} aria-labelledby="flushed">
      <h2 id="flushed">You are logged out</h2>
      <dl className="facts">
        <dt>Old key</dt>
        <dd data-testid="old-key">{proof.oldKey}</dd>
        <dt>Values before</dt>
        <dd>{proof.valuesBefore}</dd>
        <dt>Record under the old key</dt>
        <dd data-testid="old-record">{proof.recordExists ? "still there" : "gone"}</dd>
        <dt>Values the old key opens</dt>
        <dd data-testid="old-values">{proof.valuesUnderOldKey}</dd>
      </dl>
      <p data-testid="verdict">
        {dead
          ? "The old key is dead: the store has nothing under it, and anyone presenting it gets an empty session."
          : "The old cookie still opens: with cookie-stored sessions the data travels in the cookie itself, so nothing on the server can revoke a copy until it expires."}
      </p>
    </section>
  );
}

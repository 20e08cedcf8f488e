import type { Metadata } from "next";
import { loginWentStale } from "@/lib/accounts/login";
import { db } from "@/lib/db/client";
import type { Flags } from "@/lib/how-it-works/inspector";
import { inspectSession } from "@/lib/how-it-works/inspector";
import { formatSeconds } from "@/lib/how-it-works/sent-cookie";
import { getSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";

export const metadata: Metadata = { title: "Look inside your session" };

export default async function InspectorPage() {
  const session = await getSession();
  const seen = await inspectSession(session, settings(), () => loginWentStale(db(), session));
  return (
    <>
      <h1>Look inside your session</h1>
      <p className="lede">
        Everything this site keeps for your visit, as it stands right now. Values that prove who is
        logged in are masked, and so is most of your key: it is what lets you in.
      </p>

      <section className="card" aria-labelledby="where">
        <h2 id="where">Where it lives</h2>
        <dl className="facts">
          <dt>Engine</dt>
          <dd data-testid="engine">{seen.engine}</dd>
          <dt>Session key</dt>
          <dd data-testid="session-key">{seen.key}</dd>
          <dt>Cookie</dt>
          <dd>
            {seen.cookieName}: Path={seen.cookie.path}
            {seen.cookie.httpOnly && ", HttpOnly"}
            {seen.cookie.secure && ", Secure"}, SameSite={seen.cookie.sameSite}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="what">
        <h2 id="what">What it holds ({seen.valueCount})</h2>
        {seen.staleLogin && (
          <p data-testid="stale-login">
            Every value is hidden: this session belongs to an account that logged this device out.
            Whatever it holds is that account&rsquo;s, and your next change starts you afresh.
          </p>
        )}
        <pre data-testid="session-data">{seen.data}</pre>
      </section>

      <section className="card" aria-labelledby="flags">
        <h2 id="flags">What this page did to it</h2>
        <dl className="facts">
          <dt>Before reading</dt>
          <dd data-testid="flags-before">{describeFlags(seen.flagsBefore)}</dd>
          <dt>After reading</dt>
          <dd data-testid="flags-after">{describeFlags(seen.flagsAfter)}</dd>
        </dl>
        <p>
          Reading sets <code>accessed</code>, so the answer varies with your cookie; only a change
          sets <code>modified</code>, and only then is the session saved. A page can only read.
        </p>
      </section>

      <section className="card" aria-labelledby="expiry">
        <h2 id="expiry">How long it lasts</h2>
        <dl className="facts">
          <dt>getExpiryAge()</dt>
          <dd data-testid="inspector-age">
            {seen.expiryAge} seconds ({formatSeconds(seen.expiryAge)})
          </dd>
          <dt>getExpiryDate()</dt>
          <dd>{seen.expiryDate.toISOString()}</dd>
          <dt>getExpireAtBrowserClose()</dt>
          <dd data-testid="inspector-browser-close">{String(seen.expireAtBrowserClose)}</dd>
        </dl>
      </section>
    </>
  );
}

function describeFlags(flags: Flags): string {
  return `accessed=${flags.accessed}, modified=${flags.modified}`;
}

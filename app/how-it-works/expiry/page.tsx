import type { Metadata } from "next";
import { cookies } from "next/headers";
import {
  expiryOffers,
  longestLifetime,
  problemFrom,
  problemMessage,
} from "@/lib/how-it-works/expiry-choice";
import { maskKey } from "@/lib/how-it-works/mask";
import { describeLifetime, expiryDemo, formatSeconds } from "@/lib/how-it-works/sent-cookie";
import { getSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { Notice } from "../../notice";
import { BrowserCookies } from "./browser-cookies";
import { ExpiryForm } from "./expiry-form";

export const metadata: Metadata = { title: "How long we remember" };

export default async function ExpiryPage({
  searchParams,
}: {
  searchParams: Promise<{ problem?: string }>;
}) {
  const params = await searchParams;
  const problem = problemFrom(params.problem);
  const session = await getSession();
  const demo = await expiryDemo.read(session);
  const { SESSION_COOKIE_NAME, SESSION_COOKIE_AGE, SESSION_EXPIRE_AT_BROWSER_CLOSE } = settings();
  const usual = SESSION_EXPIRE_AT_BROWSER_CLOSE
    ? "until I close the browser"
    : `${formatSeconds(SESSION_COOKIE_AGE)} after my last change`;
  const sentBack = (await cookies()).get(SESSION_COOKIE_NAME)?.value ?? null;
  const age = await session.getExpiryAge();
  return (
    <>
      <h1>How long we remember</h1>
      <p className="lede">
        You decide how long this device stays remembered. Pick one, and see exactly what we tell
        your browser.
      </p>
      {problem && (
        <div className="notice problem" role="alert">
          <p>{problemMessage(problem, SESSION_COOKIE_AGE)}</p>
        </div>
      )}
      <Notice params={{ problem: params.problem }} />
      <ExpiryForm
        current={demo?.lifetime ?? null}
        usual={usual}
        offers={expiryOffers(SESSION_COOKIE_AGE)}
        longest={formatSeconds(longestLifetime(SESSION_COOKIE_AGE))}
      />

      <section className="card" aria-labelledby="session-says">
        <h2 id="session-says">What your session says now</h2>
        <dl className="facts">
          <dt>getExpiryAge()</dt>
          <dd data-testid="expiry-age">
            {age} seconds ({formatSeconds(age)})
          </dd>
          <dt>getExpiryDate()</dt>
          <dd data-testid="expiry-date">{(await session.getExpiryDate()).toISOString()}</dd>
          <dt>getExpireAtBrowserClose()</dt>
          <dd data-testid="browser-close">{String(await session.getExpireAtBrowserClose())}</dd>
        </dl>
        <p>
          Django counts from the moment these are asked, as if the session were saved now; what
          really counts is the last save, noted below.
        </p>
      </section>

      <section className="card" aria-labelledby="cookie-received">
        <h2 id="cookie-received">The cookie your browser received</h2>
        {demo ? (
          <>
            <p>
              Last saved at <time dateTime={demo.savedAt}>{demo.savedAt}</time>, with:
            </p>
            <pre data-testid="sent-cookie">{demo.sentCookie}</pre>
            <p>That is {describeLifetime(demo.sentCookie)}.</p>
          </>
        ) : (
          <p>Nothing yet: choose a lifetime above and we will show what we sent.</p>
        )}
        <p data-testid="sent-back">
          {sentBack
            ? `Your browser sent it back with this page: ${SESSION_COOKIE_NAME}=${maskKey(sentBack)}.`
            : "Your browser sent no session cookie with this page."}
        </p>
        <BrowserCookies cookieName={SESSION_COOKIE_NAME} sentOne={sentBack !== null} />
      </section>

      <section className="card" aria-labelledby="still-here">
        <h2 id="still-here">Still here?</h2>
        <p>
          &ldquo;One hour after my last visit&rdquo; slides forward each time we save your session.
          Reading a page saves nothing, so each press below is a visit that does: the hour, or the
          site&apos;s usual {formatSeconds(SESSION_COOKIE_AGE)}, starts again. A chosen day stays
          where it is.
        </p>
        {/* A plain link, not next/link: a prefetch must never count as a visit. */}
        <a className="button quiet" href="/how-it-works/expiry/visit">
          I&apos;m still here
        </a>
      </section>

      <details className="card">
        <summary>For developers</summary>
        <p>
          The form is a Server Action calling <code>session.setExpiry()</code>, which keeps{" "}
          <code>_session_expiry</code> in the data as Django does (seconds, or an ISO date). The
          cookie&apos;s lifetime is decided at commit: none when{" "}
          <code>getExpireAtBrowserClose()</code>, otherwise <code>Max-Age</code> from{" "}
          <code>getExpiryAge()</code>. The action works it out by that same rule and keeps it in the
          session for this page. &ldquo;I&apos;m still here&rdquo; is a Route Handler wrapped with{" "}
          <code>withSession</code> that writes to the session, so it is saved: Django slides an
          expiry only on a save, and <code>SESSION_SAVE_EVERY_REQUEST</code> would save on every
          page view instead. The session cookie is <code>HttpOnly</code>, so{" "}
          <code>document.cookie</code> never shows it.
        </p>
      </details>
    </>
  );
}

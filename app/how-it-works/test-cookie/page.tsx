import type { Metadata } from "next";
import { Notice } from "../../notice";
import { checkTestCookie, setTestCookie } from "./actions";

export const metadata: Metadata = { title: "Can your browser keep a cookie?" };

/**
 * Django's test cookie, in two requests: step one sets it, step two checks
 * it came back. The step lives in the URL, so the page needs no JavaScript.
 */
export default async function TestCookiePage({
  searchParams,
}: {
  searchParams: Promise<{ step?: string; result?: string; problem?: string }>;
}) {
  const { step, result, problem } = await searchParams;
  return (
    <>
      <h1>Can your browser keep a cookie?</h1>
      <p className="lede">
        To remember your drafts, your browser has to keep our small cookie and send it back. The
        only way to know it does is to try, across two visits to the site.
      </p>
      <Notice params={{ problem }} />
      {result === "worked" && <Worked />}
      {result === "blocked" && <Blocked />}
      {step === "check" && !result ? <StepTwo /> : <StepOne again={Boolean(result)} />}
      <details className="card">
        <summary>For developers</summary>
        <p>
          Step one is a Server Action calling <code>session.setTestCookie()</code>, which stores{" "}
          <code>testcookie: &quot;worked&quot;</code>; the response carries the session cookie. Step
          two is a second request: <code>testCookieWorked()</code> can only be true if the browser
          sent the cookie back. On success <code>deleteTestCookie()</code> removes the value; the
          session keeps its key, as in Django.
        </p>
      </details>
    </>
  );
}

function StepOne({ again }: { again: boolean }) {
  return (
    <section className="card" aria-labelledby="step-one">
      <h2 id="step-one">Step 1: we ask your browser to keep a cookie</h2>
      <p>Press the button and we will hand your browser a small test cookie.</p>
      <form action={setTestCookie}>
        <button className="button" type="submit">
          {again ? "Try again" : "Give my browser a test cookie"}
        </button>
      </form>
    </section>
  );
}

function StepTwo() {
  return (
    <section className="card" aria-labelledby="step-two">
      <h2 id="step-two">Step 2: did it come back?</h2>
      <p>
        We have sent the cookie. Now a second visit: if your browser kept it, it will send it back
        with this button press.
      </p>
      <form action={checkTestCookie}>
        <button className="button" type="submit">
          Check for the cookie
        </button>
      </form>
    </section>
  );
}

function Worked() {
  return (
    <div className="notice good" role="status">
      <p>
        <strong>It worked.</strong> Your browser kept the cookie and sent it back, so Evermore can
        remember your drafts. We have tidied the test cookie away again.
      </p>
    </div>
  );
}

function Blocked() {
  return (
    <div className="notice problem" role="alert">
      <p>
        <strong>Your browser did not send the cookie back.</strong> Evermore needs cookies to
        remember your name and your drafts between visits; without them, everything you write is
        forgotten when you move to the next page. Please allow cookies for this site in your
        browser&apos;s settings (private windows and some privacy tools block them), then try again.
        We use the cookie only to recognise your visit, never to follow you elsewhere.
      </p>
    </div>
  );
}

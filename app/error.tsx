"use client";

/**
 * What a page shows when rendering it failed on our side (the session store's
 * outages have their own 503 page). Nothing the visitor saved is touched.
 */
export default function PageError({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="hero" role="alert">
      <h1>Something went wrong on our side.</h1>
      <p className="lede">
        This page could not be shown just now. Nothing you saved is lost; please try again in a
        moment.
      </p>
      <p className="hero-actions">
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </p>
    </section>
  );
}

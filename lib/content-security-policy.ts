/**
 * The Content-Security-Policy of every page, with a nonce per request.
 *
 * Next.js inlines the scripts that boot each page. It reads the nonce from
 * the request's `Content-Security-Policy` header and puts it on every script
 * it writes, so proxy.ts sets the same policy on the request (for Next) and
 * on the response (for the browser). `'strict-dynamic'` lets the scripts
 * those load run too, and nothing else: no inline script without the nonce,
 * no script from another origin, no `eval`.
 *
 * Pages have no inline styles (the site's CSS is linked), so styles are
 * held to the site's own files; React may still add a nonced `<style>`.
 * `next dev` evaluates its modules and injects its styles inline, so in
 * development only, scripts may `eval` and styles may be inline (a nonce
 * would switch `'unsafe-inline'` off, so there is none for styles there).
 */

/** The request header Next.js reads the nonce from, and the response header browsers enforce. */
export const CSP_HEADER = "Content-Security-Policy";

/** A fresh nonce: 128 random bits, base64 (what Next accepts in `'nonce-…'`). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy for a page rendered with `nonce`.
 *
 * @param development `next dev`'s needs (`'unsafe-eval'`, inline styles);
 *   default: `NODE_ENV === "development"`. Never in production.
 */
export function contentSecurityPolicy(
  nonce: string,
  development = process.env.NODE_ENV === "development",
): string {
  const script = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"];
  if (development) script.push("'unsafe-eval'");
  const style = development ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": script,
    "style-src": style,
    // Photos, drafts' and published alike, are served by the site itself.
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    // The clickjacking defence: no page of the site may be framed, not even by itself.
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

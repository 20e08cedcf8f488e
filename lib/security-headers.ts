/**
 * Headers for every response, pages, Route Handlers and static files alike
 * (next.config.ts sends them). The pages' Content-Security-Policy carries a
 * nonce per request, so proxy.ts sets it (content-security-policy.ts); the
 * self-contained error pages carry their own (sessions/next/error-page.ts).
 *
 * Next.js writes the list into the build, so HSTS follows the `NODE_ENV` of
 * `next build`: production for `npm run build`, never for `next dev`.
 */
export function securityHeaders(
  production = process.env.NODE_ENV === "production",
): { key: string; value: string }[] {
  const headers = [
    // Browsers too old for CSP's frame-ancestors, and responses without a CSP (photos).
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Other sites learn the origin a visitor came from, never a memorial's or a draft's path.
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  ];
  // Production is served over HTTPS only (README); `next dev` runs on plain http://localhost.
  if (production)
    headers.push({
      key: "Strict-Transport-Security",
      value: "max-age=63072000; includeSubDomains",
    });
  return headers;
}

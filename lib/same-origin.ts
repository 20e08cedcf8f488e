/**
 * Whether a post comes from another site, judged as Next judges a Server
 * Action's: the `Origin` header's host against the host the request was sent
 * to (`X-Forwarded-Host`'s first entry, else `Host`). A post without an
 * `Origin` passes, as it does for Server Actions: browsers send one with
 * every cross-site post, so only a hand-made request lacks it, and that one
 * carries no visitor's cookie but its maker's. `Origin: null` (a sandboxed
 * frame, a redirect across sites) is cross-site.
 */
export function isCrossSite(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch (error) {
    // "null", or anything else that is not an origin: no site of ours sent it.
    if (error instanceof TypeError) return true;
    throw error;
  }
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || request.headers.get("host");
  return !host || originHost !== host;
}

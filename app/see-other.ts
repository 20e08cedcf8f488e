/** A 303 to `path`, relative: behind a proxy, `request.url` may name a host the browser never used. */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { Location: path } });
}

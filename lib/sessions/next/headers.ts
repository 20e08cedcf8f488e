/**
 * The response headers a committed session needs, whoever commits it (a
 * Route Handler's wrapper or the proxy).
 */

/** Adds a field to `Vary` unless it is there already. */
export function addVary(headers: Headers, name: string) {
  const vary = headers.get("Vary");
  const present = vary
    ?.split(",")
    .some((field) => field.trim().toLowerCase() === name.toLowerCase());
  if (!present) headers.set("Vary", vary ? `${vary}, ${name}` : name);
}

/**
 * A response that sets a session cookie must never be stored by a shared
 * cache and replayed to others: drops `public` and `s-maxage`, and adds
 * `private` unless `private` or `no-store` is there.
 */
export function keepOutOfSharedCaches(headers: Headers) {
  const directives = (headers.get("Cache-Control") ?? "")
    .split(",")
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^(public|s-maxage=.*)$/i.test(directive));
  if (!directives.some((directive) => /^(private|no-store)$/i.test(directive)))
    directives.unshift("private");
  headers.set("Cache-Control", directives.join(", "));
}

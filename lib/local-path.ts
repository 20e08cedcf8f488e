/**
 * Whether `path` is a path on this site, safe to redirect or link to: one
 * leading slash, not `//host` or `/\host` (which browsers read as another
 * site), printable ASCII only, at most 2048 characters. Anything else
 * (control characters, `/\u3000/`, `/é`) is refused rather than encoded:
 * Node refuses characters above U+00FF in a `Location` header, and a
 * browser sends such a path percent-encoded anyway.
 */
export function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])[\x20-\x7e]*$/.test(path) && path.length <= 2048;
}

/**
 * Whether `path` is a path on this site, safe to redirect or link to: one
 * leading slash, not `//host` or `/\host` (which browsers read as another
 * site), no control characters, at most 2048 characters.
 */
export function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])/.test(path) && path.length <= 2048 && !/[\u0000-\u001f\u007f]/.test(path);
}

/**
 * What a draft operation returns: the new value, or a message for the
 * visitor saying what was refused and what to do instead. Limits and bad
 * input are expected, so they are values, not exceptions.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refused<T = never>(message: string): Outcome<T> {
  return { ok: false, message };
}

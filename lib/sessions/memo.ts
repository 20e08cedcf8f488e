/**
 * A process-wide memo of values costly to derive (HMAC keys, iron
 * passwords), by a string key. A process needs a few (its secret and the
 * fallbacks); at `limit` entries the memo is emptied, a safety net against a
 * caller that makes new keys without end.
 */
export class BoundedMemo<V> {
  readonly #values = new Map<string, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value kept for `key`, made by `make` (and kept) the first time. */
  get(key: string, make: () => V): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      value = make();
      if (this.#values.size >= this.#limit) this.#values.clear();
      this.#values.set(key, value);
    }
    return value;
  }
}

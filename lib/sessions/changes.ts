import type { Json, SessionData } from "./serializers";

/**
 * A change computed from a key's current value (`undefined` when absent);
 * returning `undefined` removes the key. It must be pure and leave its
 * argument as it is: a store that merges on save may run it again, on a
 * newer value.
 */
export type Alteration = (current: Json | undefined) => Json | undefined;

/** What happened to one key: a value given, an alteration, or `null` for a deletion. */
type Change = { value: Json } | { alter: Alteration } | null;

/**
 * What one request changed in its session, key by key. Django saves the
 * whole dictionary it loaded, so two requests running at once on one session
 * silently drop each other's changes. A store that can write conditionally
 * replays this log on top of what was saved meanwhile instead: changes to
 * different keys all survive; on the same key, a value given outright wins
 * over the other request's, and an alteration (`session.alter`) is computed
 * again from the other request's value, so both survive.
 *
 * Only changes made through the session's methods are recorded; a value
 * mutated in place must be `set` again to count (in Django it needs
 * `session.modified = True`).
 */
export class ChangeLog {
  /** `clear()` (or `flush()`) was called: start from an empty session, not the stored one. */
  #cleared = false;
  readonly #changes = new Map<string, Change>();

  set(key: string, value: Json) {
    this.#changes.set(key, { value });
  }

  delete(key: string) {
    this.#changes.set(key, null);
  }

  /** Records `alteration`, after whatever this request already did to the key. */
  alter(key: string, alteration: Alteration) {
    const earlier = this.#changes.get(key);
    const after: Alteration =
      earlier === undefined ? alteration : (current) => alteration(valueAfter(earlier, current));
    this.#changes.set(key, { alter: after });
  }

  clear() {
    this.#cleared = true;
    this.#changes.clear();
  }

  /** The same changes, kept apart from this log's later ones (`cycleKey` replays them). */
  copy(): ChangeLog {
    const copy = new ChangeLog();
    copy.#cleared = this.#cleared;
    for (const [key, change] of this.#changes) copy.#changes.set(key, change);
    return copy;
  }

  /** Forgets everything: called once the changes are stored. */
  reset() {
    this.#cleared = false;
    this.#changes.clear();
  }

  /** `stored` with these changes applied, as a new prototype-less dictionary. */
  applyTo(stored: SessionData): SessionData {
    const data = Object.create(null) as SessionData;
    if (!this.#cleared) Object.assign(data, stored);
    for (const [key, change] of this.#changes) {
      const value = valueAfter(change, Object.hasOwn(data, key) ? data[key] : undefined);
      if (value === undefined) delete data[key];
      else data[key] = value;
    }
    return data;
  }
}

function valueAfter(change: Change, current: Json | undefined): Json | undefined {
  if (change === null) return undefined;
  return "value" in change ? change.value : change.alter(current);
}

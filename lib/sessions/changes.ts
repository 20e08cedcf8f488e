import type { Json, SessionData } from "./serializers";

/**
 * What one request changed in its session, key by key. Django saves the
 * whole dictionary it loaded, so two requests running at once on one session
 * silently drop each other's changes. A store that can write conditionally
 * replays this log on top of what was saved meanwhile instead: changes to
 * different keys all survive; on the same key, the last writer wins.
 *
 * Only changes made through the session's methods are recorded; a value
 * mutated in place must be `set` again to count (in Django it needs
 * `session.modified = True`).
 */
export class ChangeLog {
  /** `clear()` (or `flush()`) was called: start from an empty session, not the stored one. */
  #cleared = false;
  /** Per key: the value it was given, or `null` when it was deleted. */
  readonly #changes = new Map<string, { value: Json } | null>();

  set(key: string, value: Json) {
    this.#changes.set(key, { value });
  }

  delete(key: string) {
    this.#changes.set(key, null);
  }

  clear() {
    this.#cleared = true;
    this.#changes.clear();
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
      if (change === null) delete data[key];
      else data[key] = change.value;
    }
    return data;
  }
}

import type { ExpiryJudge, SessionRecord, SessionStorage } from "../stored";
import { StoredSession } from "../stored";

/**
 * The smallest complete engine: sessions in a Map of this process. It is the
 * worked example of "Writing an engine" and the custom engine the tests load
 * by module path. Not for production: nothing is shared or kept.
 */
export class MemoryStorage implements SessionStorage {
  readonly records = new Map<string, SessionRecord>();
  reads = 0;

  async read(key: string) {
    this.reads++;
    return this.records.get(key) ?? null;
  }

  async insert(key: string, record: SessionRecord) {
    if (this.records.has(key)) return false;
    this.records.set(key, record);
    return true;
  }

  async update(key: string, record: SessionRecord) {
    if (!this.records.has(key)) return false;
    this.records.set(key, record);
    return true;
  }

  async remove(key: string) {
    return this.records.delete(key);
  }

  /** Compare-and-set; atomic here because nothing else runs between its two steps. */
  async swap(key: string, expected: SessionRecord, record: SessionRecord) {
    const current = this.records.get(key);
    if (!current) return "gone" as const;
    if (current.data !== expected.data) return "changed" as const;
    this.records.set(key, record);
    return "saved" as const;
  }

  async removeIf(key: string, expected: SessionRecord) {
    const current = this.records.get(key);
    if (!current) return "gone" as const;
    if (current.data !== expected.data) return "changed" as const;
    this.records.delete(key);
    return "removed" as const;
  }

  async exists(key: string) {
    return this.records.has(key);
  }

  async clearExpired(judge: ExpiryJudge) {
    let removed = 0;
    for (const [key, record] of this.records) {
      if ((await judge.expireDateOf(record)) <= judge.now) {
        this.records.delete(key);
        removed++;
        judge.onProgress?.(removed);
      }
    }
    return removed;
  }
}

export const memoryStorage = new MemoryStorage();

export class SessionStore extends StoredSession {
  protected readonly storage = memoryStorage;
}

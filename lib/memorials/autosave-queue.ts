/**
 * Saves the latest version of something being typed, one save at a time, so
 * that no keystroke is lost on a slow or flaky network:
 *
 * - changes are debounced, then the *latest* value is saved; a change made
 *   while a save is in flight is saved right after it (never in parallel, so
 *   an older save can never land after a newer one);
 * - a save that fails (network down, server unreachable) is retried with
 *   growing pauses until it succeeds; the status says "offline" meanwhile;
 * - a save the server refuses (a limit) stops the queue with its message
 *   until the next change.
 */
export type AutosaveStatus = "saved" | "pending" | "saving" | "offline" | "refused";
export type SaveResult = { ok: true } | { ok: false; message: string };

export interface AutosaveOptions<T> {
  save: (value: T) => Promise<SaveResult>;
  /** The value as the server has it now. */
  saved: T;
  onStatus: (status: AutosaveStatus, message?: string) => void;
  debounceMs?: number;
  /** Pauses between retries; the last one repeats. */
  retryMs?: readonly number[];
}

export class AutosaveQueue<T> {
  private latest: T;
  private saved: T;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: AutosaveOptions<T>) {
    this.latest = options.saved;
    this.saved = options.saved;
  }

  /** Whether something typed has not reached the server yet. */
  get dirty(): boolean {
    return !same(this.latest, this.saved);
  }

  change(value: T): void {
    this.latest = value;
    this.options.onStatus("pending");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.options.debounceMs ?? 800);
  }

  /** Saves now (and keeps saving until the latest value is stored, refused, or retried later). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.running) return; // the running loop picks up the latest value
    this.running = true;
    try {
      let failures = 0;
      while (this.dirty) {
        const snapshot = this.latest;
        this.options.onStatus("saving");
        let result: SaveResult;
        try {
          result = await this.options.save(snapshot);
        } catch {
          // Any thrown error here is the transport (offline, timeout, server restarting): retry.
          this.options.onStatus("offline");
          await pause(this.retryDelay(failures++));
          continue;
        }
        failures = 0;
        if (!result.ok) return this.options.onStatus("refused", result.message);
        this.saved = snapshot;
      }
      this.options.onStatus("saved");
    } finally {
      this.running = false;
    }
  }

  /** Stops a pending debounce (the component is going away). */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private retryDelay(failures: number): number {
    const delays = this.options.retryMs ?? [1000, 2000, 5000, 10_000];
    return delays[Math.min(failures, delays.length - 1)] ?? 1000;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

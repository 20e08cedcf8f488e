/**
 * The numbers a benchmark reports: percentiles of latency samples, ops/s,
 * and ratios of one measurement against its baseline from the same run.
 */

/** The `p`-th percentile (0–100) of `values`, nearest-rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`bench: percentile must be 0–100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What one side (library or baseline) of a comparison measured. */
export interface Summary {
  /** Median over the rounds of each round's operations per second. */
  opsPerSecond: number;
  /** Latency percentiles over every operation, in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  operations: number;
}

/**
 * Summarizes rounds of one side: `rounds[i]` holds round i's latencies (ms).
 * The median of per-round throughput is robust to a round that a noisy
 * neighbour slowed down.
 */
export function summarize(rounds: readonly (readonly number[])[]): Summary {
  const all = rounds.flat();
  const perRound = rounds
    .filter((round) => round.length > 0)
    .map((round) => (round.length * 1000) / round.reduce((sum, ms) => sum + ms, 0));
  return {
    opsPerSecond: median(perRound),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    // A loop, not Math.max(...all): a fast case records more operations than fit on the stack.
    max: all.length ? all.reduce((most, ms) => (ms > most ? ms : most), -Infinity) : Number.NaN,
    operations: all.length,
  };
}

/**
 * How much slower `subject` is than `baseline`, as a time ratio: 1.25 means
 * each operation takes 25% longer. Computed from throughput, so it is
 * baseline ops/s over subject ops/s.
 */
export function timeRatio(subject: Summary, baseline: Summary): number {
  return baseline.opsPerSecond / subject.opsPerSecond;
}

/** A target met or not, stated in words for the report. */
export interface Verdict {
  met: boolean;
  text: string;
}

/** `value` ≤ `limit` (e.g. a time ratio of at most 1.25). */
export function atMost(value: number, limit: number): Verdict {
  const met = Number.isFinite(value) && value <= limit;
  return { met, text: `${met ? "met" : "not met"} (≤ ${limit})` };
}

/** `value` ≥ `limit` (e.g. at least 0.85 of the baseline's throughput). */
export function atLeast(value: number, limit: number): Verdict {
  const met = Number.isFinite(value) && value >= limit;
  return { met, text: `${met ? "met" : "not met"} (≥ ${limit})` };
}

/** A number for a table: 3 significant digits, thousands grouped; "–" for none. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

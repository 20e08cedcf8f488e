import { performance } from "node:perf_hooks";
import type { Summary } from "./stats";
import { summarize, timeRatio } from "./stats";

/**
 * The timing loop shared by every benchmark. A comparison runs the library
 * and its baseline in the same process, in alternating rounds (A B, then
 * B A), so that a neighbour's build slowing the machine down for a while
 * costs both sides alike.
 */

/** One operation; resolves when done. */
export type Operation = () => Promise<unknown>;

export interface Budget {
  /** Untimed operations of each side before measuring (JIT, connections, caches). */
  warmupOps: number;
  /** Rounds per side; each round is timed on its own. */
  rounds: number;
  /** How long each side runs in one round (at least one operation). */
  roundMs: number;
}

/** `npm run bench`'s default: about 6 seconds per comparison. */
export const DEFAULT_BUDGET: Budget = { warmupOps: 200, rounds: 10, roundMs: 300 };

export interface Comparison {
  name: string;
  subject: Summary;
  baseline: Summary;
  /** subject time / baseline time (1.1 = the subject takes 10% longer). */
  ratio: number;
}

const started = performance.now();

/** Prints one progress line with the time since start, so that a long run visibly lives. */
export function progress(message: string): void {
  const seconds = Math.round((performance.now() - started) / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  console.log(`bench [${clock}]: ${message}`);
}

/** Latencies (ms) of repeated `operation`s until `ms` have passed. */
export async function timeFor(operation: Operation, ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  do {
    const start = performance.now();
    await operation();
    latencies.push(performance.now() - start);
  } while (performance.now() < end);
  return latencies;
}

export async function warmUp(operation: Operation, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await operation();
}

const SUBJECT_FIRST = ["subject", "baseline"] as const;
const BASELINE_FIRST = ["baseline", "subject"] as const;

/** Measures `subject` against `baseline`, interleaved; see the module comment. */
export async function compare(
  name: string,
  subject: Operation,
  baseline: Operation,
  budget: Budget = DEFAULT_BUDGET,
): Promise<Comparison> {
  progress(`${name}: warming up`);
  await warmUp(subject, budget.warmupOps);
  await warmUp(baseline, budget.warmupOps);
  const subjectRounds: number[][] = [];
  const baselineRounds: number[][] = [];
  for (let round = 0; round < budget.rounds; round++) {
    const sides = round % 2 === 0 ? SUBJECT_FIRST : BASELINE_FIRST;
    for (const side of sides) {
      const latencies = await timeFor(side === "subject" ? subject : baseline, budget.roundMs);
      (side === "subject" ? subjectRounds : baselineRounds).push(latencies);
    }
  }
  const result = {
    name,
    subject: summarize(subjectRounds),
    baseline: summarize(baselineRounds),
    ratio: 0,
  };
  result.ratio = timeRatio(result.subject, result.baseline);
  progress(
    `${name}: ${Math.round(result.subject.opsPerSecond)} vs ${Math.round(result.baseline.opsPerSecond)} ops/s, ratio ${result.ratio.toFixed(2)}`,
  );
  return result;
}

/** Something to release when a benchmark family is done (a client connection). */
export type Closer = () => Promise<unknown> | unknown;

/** One comparison of a family: builds both operations, registering what must be closed. */
export interface BenchCase<C> {
  name: string;
  prepare(context: C, closers: Closer[]): Promise<{ subject: Operation; baseline: Operation }>;
}

/** Runs `cases` one after another and always releases what they opened. */
export async function runCases<C>(
  cases: readonly BenchCase<C>[],
  context: C,
  budget: Budget,
): Promise<Comparison[]> {
  const closers: Closer[] = [];
  const results: Comparison[] = [];
  try {
    for (const benchCase of cases) {
      const { subject, baseline } = await benchCase.prepare(context, closers);
      results.push(await compare(benchCase.name, subject, baseline, budget));
    }
  } finally {
    for (const close of closers.reverse()) await close();
  }
  return results;
}

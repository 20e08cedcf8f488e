/**
 * Runs `tasks` at most `lanes` at a time, each started as soon as a lane is
 * free, in the order given: put the longest first, or it may start last and
 * run alone at the end. Resolves with the results in the order of `tasks`.
 * A task that throws stops its lane from taking more; the others finish
 * what they started, and the first error is thrown once all have.
 */
export async function inLanes<T>(tasks: (() => Promise<T>)[], lanes: number): Promise<T[]> {
  if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes: ${lanes}`);
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.min(lanes, tasks.length) }, lane),
  );
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return results;
}

/**
 * Copies a child's output to `write` a line at a time, each line behind
 * `prefix`: the output of runs that share a terminal stays readable.
 */
export function linePrefixer(prefix: string, write: (text: string) => void) {
  let pending = "";
  return {
    push(chunk: string) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop()!;
      for (const line of lines) write(`${prefix}${line}\n`);
    },
    /** Writes what is left of an unfinished last line. */
    end() {
      if (pending) write(`${prefix}${pending}\n`);
      pending = "";
    },
  };
}

/**
 * Where submissions run: a pool maps a list of jobs to their results, at most `concurrency` at once, results in input
 * order. The grader only calls this signature, so a distributed executor (the sweep executor's workers) can take the
 * local pool's place without touching the grader.
 */
import * as os from "os";
import { fail } from "../../tensor";

export type GradePool = <T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>) => Promise<R[]>;

/**
 * A pool of `concurrency` slots in this process (default: the cores available); each job starts its own child process.
 * @example await localPool(2)([1, 2, 3], async (x) => x * 2) // [2, 4, 6]
 */
export function localPool(concurrency: number = os.availableParallelism()): GradePool {
  if (!Number.isInteger(concurrency) || concurrency < 1) fail("localPool", "concurrency", `must be a whole number >= 1, got ${String(concurrency)}`);
  return async <T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> => {
    const results = new Array<R>(items.length);
    let next = 0;
    const slot = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, slot));
    return results;
  };
}

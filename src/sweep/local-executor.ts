/** The default executor: trials in child processes on this machine, as many at once as there are cores. */
import { TrialPool, defaultConcurrency } from "./pool";
import { lostOutcome, type Executor, type ExecutorHooks, type RunContext } from "./executor";
import type { Trial } from "./spec";

export interface LocalExecutorOptions {
  /** Child processes (default: the number of cores). */
  concurrency?: number;
  /** Folders whose modules may run; null (default) runs the user's own modules from anywhere. */
  allow?: string[] | null;
}

/** @example const ex = localExecutor({ concurrency: 2 }); await sweep(spec, { executor: ex }); await ex.close(); */
export function localExecutor(opts: LocalExecutorOptions = {}): Executor {
  const pool = new TrialPool(opts.concurrency ?? defaultConcurrency(), opts.allow ?? null);
  let running = 0;
  return {
    name: "local",
    async run(trials: Trial[], hooks: ExecutorHooks, { signal }: RunContext) {
      const queue = [...trials];
      const one = async (t: Trial) => {
        for (let attempt = 1; ; attempt++) {
          running++;
          hooks.onStart?.(t);
          const r = await pool.run(t, { attempt, signal, onProgress: (rec) => hooks.onProgress?.(t, rec) }).finally(() => running--);
          if ("outcome" in r) return hooks.onDone(t, r.outcome);
          if (attempt >= t.attempts || signal?.aborted) return hooks.onDone(t, lostOutcome(t, attempt, r.lost));
        }
      };
      const lanes = Array.from({ length: Math.min(pool.size, queue.length) }, async () => {
        for (let t = queue.shift(); t && !signal?.aborted; t = queue.shift()) await one(t);
      });
      await Promise.all(lanes);
    },
    running: () => running,
    close: () => pool.close(),
  };
}

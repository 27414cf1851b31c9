/** What the sweep asks of an executor (local-executor.ts, redis-executor.ts). */
import type { ProgressRecord } from "../tensor";
import type { TrialOutcome } from "./run-trial";
import type { Trial } from "./spec";

export interface ExecutorHooks {
  /** A trial was handed to a process (local executor only; over Redis the bar counts active jobs). */
  onStart?(trial: Trial): void;
  onProgress?(trial: Trial, rec: ProgressRecord): void;
  /** Called once per trial that ran, whatever its status. */
  onDone(trial: Trial, outcome: TrialOutcome): void;
}

export interface RunContext {
  /** The sweep's stable id (job ids over Redis are `<sweepId>-<trialId>`). */
  sweepId: string;
  signal?: AbortSignal;
}

export interface Executor {
  readonly name: string;
  /**
   * Runs the trials and resolves when each has an outcome or, after `signal` aborts, when the running ones have
   * stopped (queued trials are cancelled and get no onDone).
   */
  run(trials: Trial[], hooks: ExecutorHooks, ctx: RunContext): Promise<void>;
  /** Trials running now. */
  running(): number;
  close(): Promise<void>;
}

/** The outcome of a trial whose process died under it on its last allowed attempt. */
export function lostOutcome(trial: Trial, attempts: number, why: string, worker = "?"): TrialOutcome {
  return {
    id: trial.id, status: "failed", rows: [], stats: [], seconds: 0, worker, attempts, env: {}, files: {},
    error: `lost its process ${attempts} time(s), the limit of spec.attempts = ${trial.attempts}; last: ${why}`,
  };
}

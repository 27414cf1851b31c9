/** Sweeps and multi-seed runs: specs, the trial registry, the local and Redis executors, workers and run records. */
export { sweep, resumeSweep, type SweepOptions, type SweepResult } from "./sweep";
export { planSweep, trialsOf, stableId, type SweepSpec, type ParamDomain, type HalvingSpec, type Trial, type JsonValue } from "./spec";
export { defineTrial, listTrials, resolveTrial, type TrialDefinition, type TrialContext, type TrialOutput, type TrialRow } from "./registry";
export { executeTrial, type TrialOutcome, type TrialStatus } from "./run-trial";
export { localExecutor, type LocalExecutorOptions } from "./local-executor";
export type { Executor, ExecutorHooks } from "./executor";
export { sweepFigure, type SweepFigureOptions } from "./figure";
export { meanCI, studentTQuantile, type MeanCI } from "./interval";
export { sweepNote } from "./progress";

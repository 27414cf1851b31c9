/** The shape of a trial function: what it is handed and what it returns (read by the registry and the library trials). */
import type { LongWorkOptions } from "../tensor";
import type { ResultsTable } from "../table";
import type { JsonValue } from "./spec";

/** What a trial function is handed besides its parameters. */
export interface TrialContext extends LongWorkOptions {
  seed: number;
  /** An empty folder of this trial: what the trial writes there (a checkpoint) lands in its run folder. */
  dir: string;
}

/** One measured value; `model`, `dataset` and further columns are optional. */
export interface TrialRow { metric: string; value: number; model?: string; dataset?: string; [col: string]: JsonValue | undefined }

/** A trial returns metrics by name, rows, a ResultsTable, or an object with a `table` (what studies return). */
export type TrialOutput = Record<string, number> | TrialRow[] | ResultsTable | { table: ResultsTable };

export interface TrialDefinition {
  /** The parameter names the trial takes (a spec naming another is refused before anything runs). */
  params: string[];
  description?: string;
  run(params: Record<string, JsonValue>, ctx: TrialContext): Promise<TrialOutput> | TrialOutput;
}


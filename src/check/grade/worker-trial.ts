/**
 * Grading as a library trial of the sweep registry (`check.gradeNotebook`, src/sweep/library-trials.ts), so that `scorelab worker` processes run
 * submissions with nothing but their registry: a job names the trial and carries JSON, namely one prepared student
 * notebook (locked cells already restored by the submitter), its file name, the limits, the backend and the
 * assignment's data files as bytes. The worker runs the notebook exactly as the local path does (runSubmission: its
 * own process under Node's permission model, a fresh folder holding only that notebook and those files, time, memory
 * and output limits). The job cannot turn the sandbox off or widen what the notebook may read, and the source
 * notebook with the solutions never travels, so student code cannot read it on a worker either.
 */
import { fail } from "../../tensor";
import type { NotebookJson } from "../notebook";
import { isCell } from "./assignment";
import { checkLimits } from "./limits";
import { runSubmission, type CellRun, type SubmissionRun } from "./run-submission";

/** Data files a job may carry in all: every job holds its own copy in Redis. */
export const MAX_JOB_FILE_BYTES = 16 * 2 ** 20;

/** A SubmissionRun as JSON (its Map as entries). */
export interface WireRun { cells: [number, CellRun][]; stop?: SubmissionRun["stop"]; banner?: string; seconds: number }

export const encodeRun = (r: SubmissionRun): WireRun => ({ cells: [...r.cells], stop: r.stop, banner: r.banner, seconds: r.seconds });

/** The run a worker sent back; throws naming `fn` when it is not one. */
export function decodeRun(v: unknown, fn: string): SubmissionRun {
  const w = v as WireRun;
  const ok = w !== null && typeof w === "object" && Array.isArray(w.cells) && typeof w.seconds === "number" &&
    w.cells.every((e) => Array.isArray(e) && Number.isInteger(e[0]) && e[1] !== null && typeof e[1] === "object" && Array.isArray(e[1].outputs));
  if (!ok) throw new Error(`${fn}: the worker's result is not a submission run (cells, seconds)`);
  return { cells: new Map(w.cells), stop: w.stop, banner: w.banner, seconds: w.seconds };
}

/** The data files of a job, decoded and bounded; relative paths are checked by runSubmission. */
function jobFiles(v: unknown, fn: string): Record<string, Buffer> {
  if (v === undefined) return {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(fn, "files", "must map relative paths to base64 text");
  const out: Record<string, Buffer> = {};
  let total = 0;
  for (const [rel, b64] of Object.entries(v as Record<string, unknown>)) {
    if (typeof b64 !== "string") fail(fn, `files['${rel}']`, "must be base64 text");
    out[rel] = Buffer.from(b64, "base64");
    total += out[rel].length;
  }
  if (total > MAX_JOB_FILE_BYTES) fail(fn, "files", `must hold at most ${MAX_JOB_FILE_BYTES / 2 ** 20} MiB, got ${(total / 2 ** 20).toFixed(1)} MiB`);
  return out;
}

/**
 * Runs one grading job on a worker; resolves to one row whose `run` column is the SubmissionRun as JSON (the
 * submitter scores it and writes the feedback). Points come from nbgrader's rule, applied by the submitter
 * (Jupyter Development Team, nbgrader, autograde).
 * @example await gradeNotebookTrial({ notebook: prepared.nb, fileName: "pair.ipynb", limits: {} }, ctx)
 */
export async function gradeNotebookTrial(p: Record<string, unknown>, ctx: { signal?: AbortSignal }): Promise<{ metric: string; value: number; run: WireRun }[]> {
  const fn = "check.gradeNotebook";
  const nb = p.notebook as unknown as NotebookJson;
  if (nb === null || typeof nb !== "object" || nb.nbformat !== 4 || !Array.isArray(nb.cells) || !nb.cells.every(isCell)) fail(fn, "notebook", "must be an nbformat 4 notebook of cells");
  if (typeof p.fileName !== "string" || !/^[\w-][\w.-]*\.ipynb$/.test(p.fileName)) fail(fn, "fileName", `must be a plain .ipynb file name, got ${JSON.stringify(p.fileName)}`);
  if (p.backend !== undefined && (typeof p.backend !== "string" || !/^[\w-]+$/.test(p.backend))) fail(fn, "backend", `must be a backend name, got ${JSON.stringify(p.backend)}`);
  const limits = checkLimits(p.limits, fn, "limits");
  const run = await runSubmission(nb, p.fileName, { limits, contents: jobFiles(p.files, fn), backend: p.backend as string | undefined, signal: ctx.signal, sandbox: true });
  return [{ metric: "seconds", value: run.seconds, run: encodeRun(run) }];
}

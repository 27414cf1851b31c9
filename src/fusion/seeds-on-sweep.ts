/**
 * The fusion studies' (n, seed) cells as trials of the sweep's local executor (src/sweep/): the parent trains the
 * auxiliaries once and saves them as checkpoints in the sweep's out folder, each trial loads them and runs one
 * cell, and writes the cell's full result (rows, weights, diagnostics) to `cell.json` in its trial folder. The
 * parent reads those files back in (n, seed) order, so the table is the one the inline route builds, row for row.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { abortError, fail, type LongWorkOptions } from "../tensor";
import type { ResultRow } from "../table";
import type { JsonValue } from "../sweep/spec";

/** What one (n, seed) cell of a fusion study yields, in-process or from a trial. */
export interface FusionCell {
  n: number;
  seed: number;
  rows: ResultRow[];
  weights: number[];
  /** Likelihoods of the cell that did not converge by the step cap. */
  unconverged: number;
  /** Early-stopping's kept step per trained baseline. */
  bestSteps?: Record<string, number>;
  /** Why each trained baseline's run ended, and how far its validation loss still fell at the end (src/score/early-stopping.ts). */
  stoppedBy?: Record<string, "patience" | "cap" | "signal">;
  tailDrop?: Record<string, number>;
  /** The fused weights' fit: the QP's KKT violation and max |l - l'| for l' refit on an independent pool twice the size. */
  fit?: { kkt: number; poolShift: number };
}

export const CELL_FILE = "cell.json";

/** Writes a cell into its trial folder and returns its rows as trial rows (for the sweep's own table). */
export function writeCell(dir: string, cell: FusionCell): Record<string, JsonValue>[] {
  fs.writeFileSync(path.join(dir, CELL_FILE), JSON.stringify(cell));
  return cell.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, JsonValue>);
}

/** A study's executor option, checked at the door. */
export function checkExecutor(executor: unknown, fn: string): "inline" | "local" {
  const e = executor ?? "inline";
  if (e !== "inline" && e !== "local") fail(fn, "opts.executor", `must be "inline" or "local", got ${JSON.stringify(executor)}`);
  return e as "inline" | "local";
}

/**
 * Runs the (n, seed) grid as trials of `trial` in a fresh temporary out folder (removed afterwards): `prepare(out)`
 * writes the checkpoints there and returns the trial's fixed parameters (the folder path among them). An interrupt
 * throws an AbortError and a failed trial an Error naming it: a study keeps no partial result.
 */
export async function cellsOnSweep(fn: string, trial: string, ns: number[], seeds: number[], prepare: (out: string) => Promise<Record<string, JsonValue>>,
  opts: LongWorkOptions & { concurrency?: number }): Promise<FusionCell[]> {
  const { sweep } = await import("../sweep");
  const { trialDir } = await import("../sweep/records");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-fusion-"));
  try {
    const fixed = await prepare(out);
    const r = await sweep({ fn: trial, name: trial, space: { n: ns }, fixed, seeds }, { executor: "local", concurrency: opts.concurrency, out, signal: opts.signal, onStep: opts.onStep });
    if (r.stopped) throw abortError(fn, r.counts.ok, ns.length * seeds.length, "cell");
    const rows = r.table.objects() as ResultRow[];
    const failed = rows.filter((x) => x.status !== "ok");
    if (failed.length) fail(fn, "opts.executor", `ran cells that failed: ${[...new Set(failed.map((x) => `n = ${x.n}, seed ${x.seed}: ${x.error}`))].join("; ")}`);
    const ids = new Map(rows.map((x) => [`${x.n}/${x.seed}`, x.trial as string]));
    return ns.flatMap((n) => seeds.map((seed) => JSON.parse(fs.readFileSync(path.join(trialDir(out, ids.get(`${n}/${seed}`)!), CELL_FILE), "utf8")) as FusionCell));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/**
 * What the two low-data studies (ScoreFusion, Liu et al. 2025, Sec. 5) share: options, the typed result (claim,
 * checks against references computed in the same run, untested parts, measured text), per-seed values from the
 * results table and the metric-vs-n figure with intervals over seeds. Studies sit on top of fusion and read the
 * results table, figure builders and the claim checks, which is why this file imports from table/, plot/, studies/.
 */
import { Rng, abortError, checkLongWork, checkNumber, fail, type LongWorkOptions } from "../tensor";
import { ResultsTable } from "../table";
import { baseLayout, seriesColor, type Figure, type Trace } from "../plot";
import { meanCI } from "../sweep/interval";
import { median } from "../metrics/median";
import { reproducedFrom, type ClaimCheckData, type Reproduced } from "../studies";
import type * as tf from "@tensorflow/tfjs";
import { fuse, type Auxiliary, type FusedModel, type FuseOptions } from "./fuse";
import type { EarlyStoppingResult } from "../score/early-stopping";
import type { FusionCell } from "./seeds-on-sweep";

export interface FusionStudyOptions extends LongWorkOptions {
  /** Target sample sizes. */
  ns?: number[];
  /** Seeds: one trial per (n, seed); at least 2 for a verdict (a check over one seed is never passed). */
  seeds?: number[];
  /** Most training steps of the target-only network (early-stopped; the auxiliaries get `auxSteps`). */
  steps?: number;
  auxSteps?: number;
  /** Shrinks every size so that a run finishes in seconds (tests, CI). */
  quick?: boolean;
  /** "inline" (default): the (n, seed) cells one after another in this process; "local": as sweep trials in child processes. */
  executor?: "inline" | "local";
  /** Child processes of the local executor (default: cores). */
  concurrency?: number;
}

export interface FusionStudyResult {
  /** The paper's claim this study tests, in words. */
  claim: string;
  /** Each part of the claim against its reference, with its interval over seeds (src/studies/claim-check.ts). */
  checks: ClaimCheckData[];
  /** reproducedFrom(checks): yes / partly / no. */
  reproduced: Reproduced;
  /** What the study does not test of the paper's claim. */
  untested: string[];
  mode: "quick" | "full";
  /** What this run measured, in words from its numbers (mode and seed count included). */
  measured: string;
  /** Same as `measured` (older name). */
  summary: string;
  table: ResultsTable;
  /** The main metric against n, one curve per model with intervals over seeds. */
  figure: Figure;
  /** Every metric against n. */
  figures: Record<string, Figure>;
  /** Learned weights per (n, seed). */
  weights: { n: number; seed: number; weights: number[] }[];
  seconds: number;
}

export function checkStudyOptions(opts: FusionStudyOptions, fn: string, defaults: { ns: number[]; seeds: number[]; steps: number; auxSteps: number }) {
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const ns = opts.ns ?? defaults.ns;
  if (!Array.isArray(ns) || ns.length === 0) fail(fn, "opts.ns", "must be a non-empty array of sample sizes");
  ns.forEach((n, i) => checkNumber(n, `opts.ns[${i}]`, fn, { integer: true, min: 5 }));
  const seeds = opts.seeds ?? defaults.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0) fail(fn, "opts.seeds", "must be a non-empty array of integer seeds");
  seeds.forEach((s, i) => checkNumber(s, `opts.seeds[${i}]`, fn, { integer: true, min: 0 }));
  if (new Set(seeds).size !== seeds.length) fail(fn, "opts.seeds", `must not repeat a seed, got [${seeds}]`);
  const steps = checkNumber(opts.steps ?? defaults.steps, "opts.steps", fn, { integer: true, min: 1 });
  const auxSteps = checkNumber(opts.auxSteps ?? defaults.auxSteps, "opts.auxSteps", fn, { integer: true, min: 1 });
  checkLongWork(opts, fn);
  return { ns: [...new Set(ns)].sort((a, b) => a - b), seeds, steps, auxSteps };
}

/** A study without all its runs has no verdict: an abort throws an AbortError (src/tensor/long-work.ts). */
export function throwIfAborted(signal: AbortSignal | undefined, fn: string, done: number, total: number): void {
  if (signal?.aborted) throw abortError(fn, done, total, "run");
}

/** One metric's values of one model at one n, in seed order (so that two models' lists pair by seed). */
export function seedValues(table: ResultsTable, metric: string, model: string, n: number, seeds: number[]): number[] {
  const rows = table.objects().filter((r) => r.metric === metric && r.model === model && r.n === n);
  return seeds.map((s) => rows.find((r) => r.seed === s)?.value).filter((v): v is number => typeof v === "number");
}

/** The target split every model of a (n, seed) cell shares: fitting images and the baselines' validation images. */
export function splitTarget(n: number): { fit: number; val: number } {
  const val = Math.max(2, Math.round(0.2 * n));
  return { fit: n - val, val };
}

/** A horizontal reference drawn across the figure: one level, or one mean per n with its interval as a band. */
export interface FigureReference { name: string; y: number | number[]; band?: [number[], number[]] }

/**
 * Metric vs n: each model's mean over seeds with error bars of the 95 % Student-t interval, markers at the measured
 * n (sparse), reference levels as dashed lines (with a shaded interval where they vary by seed); log n axis labelled
 * at the measured n.
 * @example studyFigure(table, [25, 400], seeds, "bpd", ["fused", "target-only"], [{ name: "uniform", y: 4.09 }], "bits/dim", "bits/dim")
 */
export function studyFigure(table: ResultsTable, ns: number[], seeds: number[], metric: string, models: string[], refs: FigureReference[], title: string, yLabel: string, logY = false): Figure {
  const data: Trace[] = models.map((model, i) => {
    // A point with no values (a model not run at that n) is a gap, not an error.
    const ci = ns.map((n) => { const v = seedValues(table, metric, model, n, seeds); return v.length ? meanCI(v) : null; });
    return {
      type: "scatter", mode: "lines+markers", name: model, x: ns, y: ci.map((c) => c?.mean ?? null),
      error_y: { type: "data", array: ci.map((c) => c?.halfWidth ?? 0), visible: true },
      line: { color: seriesColor(i), width: 2 }, marker: { size: 7 },
    };
  });
  refs.forEach((r, j) => {
    const color = seriesColor(models.length + j);
    const y = typeof r.y === "number" ? ns.map(() => r.y as number) : r.y;
    if (r.band) {
      data.push({ type: "scatter", mode: "lines", x: [...ns, ...[...ns].reverse()], y: [...r.band[1], ...[...r.band[0]].reverse()], fill: "toself", fillcolor: color, opacity: 0.15, line: { width: 0 }, hoverinfo: "skip", showlegend: false });
    }
    data.push({ type: "scatter", mode: "lines", name: r.name, x: ns, y, line: { color, dash: "dash", width: 1.5 } });
  });
  const decades = { type: "log", tickvals: ns, ticktext: ns.map(String) };
  return { data, layout: baseLayout(title, "n (target samples, log scale)", yLabel, { xaxis: decades, yaxis: logY ? { type: "log", exponentformat: "power" } : {} }) };
}

/** The study's result from its parts: the verdict follows the checks (reproducedFrom), never the other way round. */
export function studyResult(parts: Omit<FusionStudyResult, "reproduced" | "summary">, seeds: number): FusionStudyResult {
  const measured = `${parts.mode} mode: ${seeds} seed${seeds === 1 ? "" : "s"}. ${parts.measured}`;
  return { ...parts, measured, summary: measured, reproduced: reproducedFrom(parts.checks) };
}

/** Keeps a trained baseline's early-stopping outcome in its cell (kept step, why it ended, how far it still moved). */
export function recordStop(cell: FusionCell, model: string, es: EarlyStoppingResult): void {
  (cell.bestSteps ??= {})[model] = es.bestStep;
  (cell.stoppedBy ??= {})[model] = es.stoppedBy;
  (cell.tailDrop ??= {})[model] = es.tailDrop;
}

/**
 * Whether the fused weights' fit converged: the QP is exact (its KKT violation is reported), so what is left is the
 * Monte Carlo error of the pool (Liu et al. 2025, eq. 6, estimated on (x0, t, eps) draws). The weights are refitted
 * on an independent pool twice the size; poolShift = max_k |l_k - l'_k|.
 * @example const f = await weightFit(fused, aux, x, { samples: 2048 }, new Rng(3)); f.poolShift
 */
export async function weightFit(fused: FusedModel, aux: Auxiliary[], target: tf.Tensor, opts: FuseOptions, rng: Rng): Promise<{ kkt: number; poolShift: number }> {
  const again = await fuse(aux, target, { ...opts, rng, samples: 2 * (opts.samples ?? 4096) });
  const poolShift = Math.max(...fused.weights.map((w, k) => Math.abs(w - again.weights[k])));
  return { kkt: fused.diagnostics.qp?.kktViolation ?? NaN, poolShift };
}

/** Per (model, n): the cells where the baseline trained, those of them whose run ended at its cap, and the median tailDrop of those. */
function capRuns(cells: FusionCell[], model: string, n: number): { at: FusionCell[]; cap: FusionCell[]; drop: number } {
  const at = cells.filter((c) => c.n === n && c.stoppedBy?.[model] !== undefined);
  const cap = at.filter((c) => c.stoppedBy![model] === "cap");
  return { at, cap, drop: median(cap.map((c) => c.tailDrop![model])) };
}

/**
 * In words, per trained baseline and n: how many seeds' runs stopped by patience and how many at the step cap, the
 * median kept step and, for runs at the cap, the median relative fall of the validation loss over their last
 * evaluations; then the fused weights' fit. This is what lets a reader see whether the baselines converged.
 */
export function convergenceText(cells: FusionCell[], models: string[], patience: number): string {
  if (!cells.length) return "";
  const ns = [...new Set(cells.map((c) => c.n))].sort((a, b) => a - b);
  const parts = models.map((m) => `${m}: ${ns.map((n) => {
    const { at, cap, drop } = capRuns(cells, m, n);
    const moving = cap.length ? ` (validation loss still fell ${(100 * drop).toFixed(2)} % median over its last ${patience} evaluations)` : "";
    return `n = ${n} ${at.length - cap.length}/${at.length} by patience, ${cap.length} at the cap${moving}, kept step median ${median(at.map((c) => c.bestSteps![m]))}`;
  }).join("; ")}`);
  const fits = cells.filter((c) => c.fit);
  const fit = fits.length ? ` Fused weights: exact simplex QP (largest KKT violation ${Math.max(...fits.map((c) => c.fit!.kkt)).toExponential(1)}); ` +
    `refitted on an independent pool twice the size they move by at most ${Math.max(...fits.map((c) => c.fit!.poolShift)).toFixed(3)} (median ${median(fits.map((c) => c.fit!.poolShift)).toFixed(3)}).` : "";
  return `Early stopping (patience ${patience} evaluations): ${parts.join(". ")}.${fit}`;
}

/**
 * The untested-list entries for baselines that did not converge: one per (model, n) where some run ended at its cap,
 * with how many and how far the validation loss still fell (a baseline short of convergence is not a fair reference).
 */
export function capUntested(cells: FusionCell[], models: string[], patience: number): string[] {
  const ns = [...new Set(cells.map((c) => c.n))].sort((a, b) => a - b);
  return models.flatMap((model) => ns.map((n) => {
    const { at, cap, drop } = capRuns(cells, model, n);
    return cap.length === 0 ? "" : `a converged ${model} baseline at n = ${n}: ${cap.length} of ${at.length} runs ended at the step cap, ` +
      `their validation loss still falling ${(100 * drop).toFixed(2)} % (median) over the last ${patience} evaluations`;
  })).filter((x) => x !== "");
}


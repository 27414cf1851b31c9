/**
 * What the two low-data studies (ScoreFusion, Liu et al. 2025, Sec. 5) share: options, the typed result (claim,
 * checks against references computed in the same run, untested parts, measured text), per-seed values from the
 * results table and the metric-vs-n figure with intervals over seeds. Studies sit on top of fusion and read the
 * results table, figure builders and the claim checks, which is why this file imports from table/, plot/, studies/.
 */
import { abortError, checkNumber, fail } from "../tensor";
import { ResultsTable } from "../table";
import { baseLayout, seriesColor, type Figure, type Trace } from "../plot";
import { meanCI } from "../sweep/interval";
import { reproducedFrom, type ClaimCheckData, type Reproduced } from "../studies";

export interface FusionStudyOptions {
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
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
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
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") fail(fn, "opts.onProgress", "must be a function");
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

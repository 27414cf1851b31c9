/**
 * What the two low-data studies (ScoreFusion, Liu et al. 2025, Sec. 5) share: options, the gap summary written
 * from measured numbers, and the metric-vs-n figure. Studies sit on top of fusion and read the results table and
 * figure builders, which is why this file imports from table/ and plot/.
 */
import { abortError, checkNumber, fail, type Progress } from "../tensor";
import { ResultsTable } from "../table";
import { lineFigure, type Figure } from "../plot";

export interface FusionStudyOptions {
  /** Target sample sizes. */
  ns?: number[];
  /** Seeds: one trial per (n, seed). */
  seeds?: number[];
  /** Training steps of the target-only network (the auxiliaries get `auxSteps`). */
  steps?: number;
  auxSteps?: number;
  /** Shrinks every size so that a run finishes in seconds (tests, CI). */
  quick?: boolean;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface FusionStudyResult {
  table: ResultsTable;
  /** The main metric against n, one curve per model. */
  figure: Figure;
  /** Every metric against n. */
  figures: Record<string, Figure>;
  /** In words, from the measured numbers: does the run show fused beating target-only at small n, and the gap shrinking? */
  summary: string;
  /** Learned weights per (n, seed). */
  weights: { n: number; seed: number; weights: number[] }[];
  seconds: number;
}

export function checkStudyOptions(opts: FusionStudyOptions, fn: string, defaults: { ns: number[]; seeds: number[]; steps: number; auxSteps: number }) {
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const ns = opts.ns ?? defaults.ns;
  if (!Array.isArray(ns) || ns.length === 0) fail(fn, "opts.ns", "must be a non-empty array of sample sizes");
  ns.forEach((n, i) => checkNumber(n, `opts.ns[${i}]`, fn, { integer: true, min: 2 }));
  const seeds = opts.seeds ?? defaults.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0) fail(fn, "opts.seeds", "must be a non-empty array of integer seeds");
  seeds.forEach((s, i) => checkNumber(s, `opts.seeds[${i}]`, fn, { integer: true, min: 0 }));
  const steps = checkNumber(opts.steps ?? defaults.steps, "opts.steps", fn, { integer: true, min: 1 });
  const auxSteps = checkNumber(opts.auxSteps ?? defaults.auxSteps, "opts.auxSteps", fn, { integer: true, min: 1 });
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") fail(fn, "opts.onProgress", "must be a function");
  return { ns: [...ns].sort((a, b) => a - b), seeds, steps, auxSteps };
}

/** A study without all its runs has no verdict: an abort throws an AbortError (src/tensor/long-work.ts). */
export function throwIfAborted(signal: AbortSignal | undefined, fn: string, done: number, total: number): void {
  if (signal?.aborted) throw abortError(fn, done, total, "run");
}

/** Mean over seeds of one metric per (model, n). */
export function meansByN(table: ResultsTable, metric: string, model: string, ns: number[]): number[] {
  const rows = table.objects().filter((r) => r.metric === metric && r.model === model);
  return ns.map((n) => {
    const v = rows.filter((r) => r.n === n).map((r) => r.value);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  });
}

/**
 * One sentence per metric comparing fused and target-only at the smallest and largest n.
 * `lowerIsBetter` says which direction wins.
 */
export function gapSummary(table: ResultsTable, ns: number[], metrics: { metric: string; label: string; lowerIsBetter: boolean }[]): string {
  const lines: string[] = [];
  let claimSmall = true;
  let claimShrink = true;
  for (const m of metrics) {
    const fused = meansByN(table, m.metric, "fused", ns);
    const own = meansByN(table, m.metric, "target-only", ns);
    // Advantage of fused: positive when fused is better.
    const adv = fused.map((f, i) => (m.lowerIsBetter ? own[i] - f : f - own[i]));
    const first = adv[0];
    const last = adv[adv.length - 1];
    const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toPrecision(3));
    lines.push(`${m.label}: at n = ${ns[0]} fused ${fmt(fused[0])} vs target-only ${fmt(own[0])} (fused ${first > 0 ? "better" : "not better"} by ${fmt(Math.abs(first))}); ` +
      `at n = ${ns[ns.length - 1]} fused ${fmt(fused[fused.length - 1])} vs target-only ${fmt(own[own.length - 1])} (advantage ${fmt(last)}).`);
    if (!(first > 0)) claimSmall = false;
    if (!(last < first)) claimShrink = false;
  }
  const verdict = claimSmall && claimShrink
    ? "This run shows the paper's claim: fused beats target-only at the smallest n on every metric, and the advantage shrinks as n grows."
    : claimSmall
      ? "This run shows fused beating target-only at the smallest n, but the advantage does not shrink with n on every metric: only part of the paper's claim."
      : "This run does not show the paper's claim: fused does not beat target-only at the smallest n on every metric.";
  return `${lines.join(" ")} ${verdict}${ns.length < 2 ? " (Only one n: the trend in n is not tested.)" : ""}`;
}

/** Metric vs n, one curve per model (means over seeds). */
export function metricFigure(table: ResultsTable, ns: number[], metric: string, models: string[], title: string, yLabel: string): Figure {
  return lineFigure(ns, models.map((model) => ({ name: model, y: meansByN(table, metric, model, ns) })), { title, xLabel: "n (target samples)", yLabel, logX: true });
}

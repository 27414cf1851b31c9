/**
 * The schedule study of Strasman et al. (2024), arXiv 2402.04650, at CPU scale with the exact score: Gaussian
 * N(1, 0.5 I_d), beta_min 0.1, beta_max 20, T = 1, s_inf = 1, exponential family a in [-10, 10], 100 steps; exact KL
 * (recursion) beside the E1 + E2 + E3 bound; and both against the step count for the linear and cosine schedules.
 * (Imports plot/table: an experiment helper above the library layers; see the report to the lead.)
 */
import { exponentialSchedule, linearSchedule, cosineSchedule } from "../sde";
import { ResultsTable, ResultRow } from "../table";
import { Figure, boundsFigure } from "../plot";
import { exactGaussianKL, ExactSampler } from "./exact-kl";
import { klBound } from "./kl-bound";
import { checkNumber, checkSteps } from "../tensor";

export interface ScheduleStudyOptions { quick?: boolean; dims?: number[]; sampler?: ExactSampler; steps?: number }
export interface StudyResult { table: ResultsTable; figures: Figure[]; summary: string }

/**
 * Runs the sweep and returns results rows, figures and a summary from the measured numbers.
 * @example const { table, figures, summary } = scheduleStudy({ quick: true });
 */
export function scheduleStudy(opts: ScheduleStudyOptions = {}): StudyResult {
  const dims = opts.dims ?? (opts.quick ? [10] : [5, 10, 25, 50]);
  const steps = checkSteps(opts.steps ?? 100, "steps", "scheduleStudy");
  const sampler = opts.sampler ?? "euler";
  const as = opts.quick ? [-10, -5, 0, 2, 4, 6, 10] : Array.from({ length: 21 }, (_, i) => -10 + i);
  const rows: ResultRow[] = [];
  const figures: Figure[] = [];
  const lines: string[] = [];
  for (const d of dims) {
    const target = { mean: new Array(d).fill(1), cov: 0.5 };
    const kl: number[] = [], bound: number[] = [];
    for (const a of as) {
      const schedule = exponentialSchedule({ a });
      const r = exactGaussianKL({ schedule, target, steps, sampler, lastStepNoise: true });
      const b = klBound({ schedule, target, steps });
      kl.push(r.kl); bound.push(b.total);
      const base = { experiment: "schedule-a", model: `${sampler}-exact-score`, dataset: `gaussian-d${d}`, seed: 0, a, d, steps };
      rows.push({ ...base, metric: "kl", value: r.kl }, { ...base, metric: "w2", value: r.w2 }, { ...base, metric: "bound", value: b.total },
        { ...base, metric: "e1", value: b.e1 }, { ...base, metric: "e3", value: b.e3 });
    }
    const iMin = kl.indexOf(Math.min(...kl));
    const iBound = bound.indexOf(Math.min(...bound));
    const ushape = iMin > 0 && iMin < as.length - 1;
    lines.push(`d = ${d}: exact KL is smallest at a = ${as[iMin]} (${kl[iMin].toExponential(2)}), ${kl[0].toExponential(2)} at a = ${as[0]}, ${kl[kl.length - 1].toExponential(2)} at a = ${as[as.length - 1]}` +
      `${ushape ? " (an interior optimum: the paper's claim holds here)" : " (no interior optimum)"}; the bound is smallest at a = ${as[iBound]} and ${(bound[iBound] / kl[iBound]).toFixed(0)}x the exact KL there (E3 = ${(rows.find((r) => r.metric === "e3" && r.d === d)?.value as number).toFixed(2)} does not depend on a).`);
    figures.push(boundsFigure(as, [{ name: "KL bound E1+E2+E3", y: bound }, { name: "exact KL", y: kl, dash: "dash" }], { title: `Exponential schedule family, d = ${d}, ${steps} ${sampler} steps`, xLabel: "a" }));
  }
  const stepList = opts.quick ? [10, 30, 100, 300] : [5, 10, 20, 50, 100, 200, 500, 1000];
  const d = opts.quick ? 10 : 10;
  const target = { mean: new Array(d).fill(1), cov: 0.5 };
  const series = [];
  for (const [name, schedule] of [["linear", linearSchedule()], ["cosine", cosineSchedule()]] as const) {
    const kl = stepList.map((n) => exactGaussianKL({ schedule, target, steps: n, sampler, lastStepNoise: true }).kl);
    const bd = stepList.map((n) => klBound({ schedule, target, steps: n }).total);
    stepList.forEach((n, i) => {
      const base = { experiment: "schedule-steps", model: `${sampler}-exact-score`, dataset: `gaussian-d${d}`, seed: 0, schedule: name, steps: n };
      rows.push({ ...base, metric: "kl", value: kl[i] }, { ...base, metric: "bound", value: bd[i] });
    });
    series.push({ name: `${name}: bound`, y: bd }, { name: `${name}: exact KL`, y: kl, dash: "dash" });
    lines.push(`${name}, d = ${d}: exact KL ${kl[0].toExponential(2)} at ${stepList[0]} steps -> ${kl[kl.length - 1].toExponential(2)} at ${stepList[stepList.length - 1]}; bound ${bd[0].toFixed(2)} -> ${bd[bd.length - 1].toFixed(3)}.`);
  }
  figures.push(boundsFigure(stepList, series, { title: `Bound and exact KL vs steps, N(1, 0.5 I_${d})`, logX: true }));
  return { table: new ResultsTable(rows), figures, summary: lines.join("\n") };
}

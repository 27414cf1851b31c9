/**
 * The sampler study: error against the number of score evaluations for every sampler and noise grid, on a 2-D
 * Gaussian mixture sampled with its exact score, so that the only errors are the discretisation's and the finite
 * sample's (the k-diffusion style comparison, with exact answers). The error is the sliced 2-Wasserstein distance
 * to the exact law at tMin, p_tMin = sum_k w_k N(a mu_k, a^2 S_k + s^2 I): each projection of a Gaussian mixture is a
 * 1-D Gaussian mixture, whose quantiles are computed exactly (bisection on its CDF), so no reference sample adds
 * noise. The floor an exact sampler would reach with n points is measured the same way and reported beside.
 * (Imports plot/table: an experiment helper above the library layers, as bounds/schedule-study.ts.)
 */
import * as tf from "@tensorflow/tfjs";
import { erf } from "mathjs";
import { Rng, abortError, checkLongWork, checkNumber, checkSteps, fail, type LongWorkOptions } from "../tensor";
import { vpSDE } from "../sde";
import { GaussianMixture } from "../data/gmm";
import { mixtureScore } from "../score/exact";
import { ResultsTable, type ResultRow } from "../table";
import { lineFigure, type Figure } from "../plot";
import { GRID_NAMES, type GridName } from "./grids";
import { SAMPLERS, SAMPLER_NAMES, samplerByName, type SamplerName } from "./sampler-table";

export interface SamplerStudyOptions extends LongWorkOptions {
  /** Small sizes for tests and quick notebook runs (n 256, steps [4, 16], 8 projections). */
  quick?: boolean;
  samplers?: SamplerName[];
  grids?: GridName[];
  /** Step counts (the score evaluations are steps x the sampler's evaluations per step). */
  steps?: number[];
  /** Samples per run (default 20000, where the exact-sampling floor is about 0.02; quick 256). */
  n?: number;
  /** Projections of the sliced distance, at evenly spaced angles (default 16; quick 8). */
  projections?: number;
  seed?: number;
}

export interface SamplerStudyResult { table: ResultsTable; figures: Figure[]; summary: string }

/** The study's target: three components of different shapes, 2-D. */
const TARGET = { weights: [0.5, 0.3, 0.2], means: [[-2, 0], [1.5, 1.5], [1, -2]], covs: [0.3, [[0.6, 0.3], [0.3, 0.4]], 0.05] as (number | number[][])[] };

/** Quantiles at u_i = (i - 1/2) / n of the 1-D mixture sum_k w_k N(m_k, v_k), by bisection on its CDF. */
function mixtureQuantiles(w: number[], m: number[], v: number[], n: number): Float64Array {
  const sd = v.map(Math.sqrt);
  const cdf = (x: number) => w.reduce((acc, wk, k) => acc + wk * 0.5 * (1 + erf((x - m[k]) / (sd[k] * Math.SQRT2))), 0);
  const lo0 = Math.min(...m.map((mk, k) => mk - 10 * sd[k])), hi0 = Math.max(...m.map((mk, k) => mk + 10 * sd[k]));
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    let lo = lo0, hi = hi0;
    // 50 halvings of a range of tens: below 1e-13, far under the sampling error.
    for (let it = 0; it < 50; it++) { const mid = 0.5 * (lo + hi); if (cdf(mid) < u) lo = mid; else hi = mid; }
    q[i] = 0.5 * (lo + hi);
  }
  return q;
}

/** Sliced W2 of samples x [n, 2] against the exact projections' quantiles (one Float64Array per direction). */
function slicedW2(x: tf.Tensor, dirs: number[][], ref: Float64Array[]): number {
  const rows = x.arraySync() as number[][];
  let total = 0;
  dirs.forEach(([c, s], j) => {
    const p = Float64Array.from(rows, (r) => c * r[0] + s * r[1]).sort();
    let acc = 0;
    for (let i = 0; i < p.length; i++) acc += (p[i] - ref[j][i]) ** 2;
    total += acc / p.length;
  });
  return Math.sqrt(total / dirs.length);
}

/**
 * Runs every sampler on every grid at each step count on the VP SDE with the exact mixture score, and returns the
 * errors (sliced W2 to the exact p_tMin) as a ResultsTable, one error-vs-evaluations figure per grid, and a summary.
 * All runs share one seed, so they start from the same prior rows (common random numbers). Progress: one step per
 * run; an abort throws an AbortError (a study without all its runs has no verdict).
 * @example const { table, figures, summary } = await samplerStudy({ quick: true });
 */
export async function samplerStudy(opts: SamplerStudyOptions = {}): Promise<SamplerStudyResult> {
  const fn = "samplerStudy";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  checkLongWork(opts, fn);
  const quick = opts.quick === true;
  const samplers = opts.samplers ?? SAMPLER_NAMES;
  if (!Array.isArray(samplers) || samplers.length === 0) fail(fn, "opts.samplers", "must be a non-empty array of sampler names");
  samplers.forEach((s, i) => samplerByName(s, fn, `opts.samplers[${i}]`));
  const grids = opts.grids ?? [...GRID_NAMES];
  if (!Array.isArray(grids) || grids.length === 0 || grids.some((g) => !GRID_NAMES.includes(g))) fail(fn, "opts.grids", `must be a non-empty array of ${GRID_NAMES.join(", ")}`);
  const steps = opts.steps ?? (quick ? [4, 16] : [4, 8, 16, 32, 64]);
  if (!Array.isArray(steps) || steps.length === 0) fail(fn, "opts.steps", "must be a non-empty array of step counts");
  steps.forEach((k, i) => checkSteps(k, `opts.steps[${i}]`, fn));
  const n = checkNumber(opts.n ?? (quick ? 256 : 20000), "opts.n", fn, { integer: true, min: 2, max: 1e6 });
  const P = checkNumber(opts.projections ?? (quick ? 8 : 16), "opts.projections", fn, { integer: true, min: 1, max: 1024 });
  const seed = checkNumber(opts.seed ?? 0, "opts.seed", fn, { integer: true });

  const sde = vpSDE();
  const gmm = new GaussianMixture(TARGET);
  const model = mixtureScore(sde, gmm);
  const { scale: a, std: s } = sde.marginalAt(sde.tMin);
  const dirs = Array.from({ length: P }, (_, j) => [Math.cos((Math.PI * j) / P), Math.sin((Math.PI * j) / P)]);
  const covOf = (c: number | number[][]) => (typeof c === "number" ? [[c, 0], [0, c]] : c);
  const ref = dirs.map(([c, sn]) => mixtureQuantiles(TARGET.weights,
    TARGET.means.map(([m0, m1]) => a * (c * m0 + sn * m1)),
    TARGET.covs.map((cv) => { const C = covOf(cv); return a * a * (c * c * C[0][0] + 2 * c * sn * C[0][1] + sn * sn * C[1][1]) + s * s; }), n));
  // The floor: n exact draws from p_tMin, measured like every run.
  const floor = tf.tidy(() => {
    const r = new Rng(seed + 1);
    return tf.add(tf.mul(gmm.sample(n, r), a), r.normal([n, 2], 0, s));
  });
  const floorW2 = slicedW2(floor, dirs, ref);
  floor.dispose();

  const rows: ResultRow[] = [];
  const base = { experiment: "sampler-study", dataset: "gmm3-2d", seed };
  rows.push({ ...base, model: "exact", metric: "sw2", value: floorW2, grid: "none", steps: 0, nfe: 0, n });
  const total = samplers.length * grids.length * steps.length;
  let done = 0;
  const series: Record<string, { name: string; x: number[]; y: number[] }[]> = {};
  try {
    for (const g of grids) {
      series[g] = [];
      for (const name of samplers) {
        const entry = SAMPLERS[name];
        const curve = { name, x: [] as number[], y: [] as number[] };
        for (const k of steps) {
          if (opts.signal?.aborted) throw abortError(fn, done, total, "run");
          const started = performance.now();
          const x = await entry.run(model.score, sde, { n, steps: k, rng: new Rng(seed), shape: [2], grid: g, signal: opts.signal });
          const w = slicedW2(x, dirs, ref);
          x.dispose();
          const nfe = k * entry.evals;
          rows.push({ ...base, model: name, metric: "sw2", value: w, grid: g, steps: k, nfe, n, seconds: (performance.now() - started) / 1000 });
          curve.x.push(nfe); curve.y.push(w);
          done++;
          opts.onStep?.({ step: done, total });
        }
        series[g].push(curve);
      }
    }
  } finally {
    model.dispose();
  }
  const figures = grids.map((g) => lineFigure(undefined, [...series[g], { name: `exact sampler, n = ${n}`, x: [Math.min(...series[g].flatMap((c) => c.x)), Math.max(...series[g].flatMap((c) => c.x))], y: [floorW2, floorW2], dash: "dot" }],
    { title: `Sliced W2 to the exact mixture at tMin, ${g} grid (VP, exact score, n = ${n})`, xLabel: "score evaluations", yLabel: "sliced W2", logX: true, logY: true }));
  const runs = rows.filter((r) => r.model !== "exact");
  const lines = [`Floor (n = ${n} exact draws): sliced W2 ${floorW2.toExponential(2)}.`];
  for (const k of [Math.min(...steps), Math.max(...steps)]) {
    const at = runs.filter((r) => r.steps === k).sort((p, q) => (p.value as number) - (q.value as number));
    const best = at[0], worst = at[at.length - 1];
    lines.push(`At ${k} steps: best ${best.model} on the ${best.grid} grid (${(best.value as number).toExponential(2)}, ${best.nfe} evaluations), worst ${worst.model} on ${worst.grid} (${(worst.value as number).toExponential(2)}).`);
  }
  return { table: new ResultsTable(rows), figures, summary: lines.join("\n") };
}

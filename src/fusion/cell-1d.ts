/**
 * One (n, seed) cell of the 1-D study (study-1d.ts) and the evaluation every model of it shares, so that the cell
 * runs the same in the study's process and as a sweep trial (trials.ts). Every draw of a cell is seeded from
 * (n, seed) alone.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import type { SDE, ScoreFn, ScoreModel } from "../sde/types";
import { GaussianMixture, type GmmSpec } from "../data";
import { mixtureScore, mlpScoreNet } from "../score";
import { eulerMaruyama } from "../sample";
import { w1 } from "../metrics";
import type { ResultRow } from "../table";
import { fuse } from "./fuse";
import { convergedLikelihood } from "../sample/converged-likelihood";
import { trainEarlyStopped } from "../score/early-stopping";
import { recordStop, splitTarget, weightFit } from "./study-common";
import type { FusionCell } from "./seeds-on-sweep";

export const TARGET_1D: GmmSpec = { weights: [0.6, 0.4], means: [[-6], [6]], covs: [0.64, 0.64] };
export const AUXILIARIES_1D: GmmSpec[] = [
  { weights: [0.5, 0.5], means: [[-3], [10]], covs: [1, 1] },
  { weights: [0.7, 0.3], means: [[-7], [9]], covs: [1, 1] },
];
/** Likelihood convergence (bits, d = 1): RK4 steps doubled until the mean changes by less than this. */
export const LL_TOL = 0.01;

export interface Stats { m: number; s: number }

/** The mixture in coordinates standardised by (m, s). */
export function standardised(spec: GmmSpec, st: Stats): GaussianMixture {
  return new GaussianMixture({ weights: spec.weights, means: spec.means.map((v) => [(v[0] - st.m) / st.s]), covs: (spec.covs as number[]).map((c) => c / (st.s * st.s)) });
}

/** The exact auxiliary score k of the study, in its set's standardised coordinates. */
export const exactAuxiliary = (sde: SDE, k: number, st: Stats): ScoreModel => mixtureScore(sde, standardised(AUXILIARIES_1D[k], st));

/** What every model of the study is measured with: settings and the held-out target points (Rng(7)). */
export interface Setting1D {
  sde: SDE;
  auxiliaries: "trained" | "exact";
  standardise: "per-set" | "common";
  /** The pooled auxiliary data's moments (the one map of "common"). */
  pooled: Stats;
  testRaw: tf.Tensor;
  testArr: Float32Array;
  sampleSize: number;
  sampleSteps: number;
  llMaxSteps: number;
  width: number;
  steps: number;
  fusionTRange: [number, number];
}

export interface Cell1DContext extends Setting1D { aux: ScoreModel[]; auxW1: number[] }

/** Setting1D's held-out points: testSize target draws with Rng(7). */
export function heldOut1D(testSize: number): { testRaw: tf.Tensor; testArr: Float32Array } {
  const testRaw = new GaussianMixture(TARGET_1D).sample(testSize, new Rng(7));
  return { testRaw, testArr: testRaw.dataSync().slice() as Float32Array };
}

/** x in the coordinates standardised by (m, s). */
export const toStd = (x: tf.Tensor, st: Stats) => tf.tidy(() => x.sub(st.m).div(st.s));

/** W1 of Euler–Maruyama samples and the converged held-out log-likelihood, both in original units (mapped by st). */
export async function evaluate1D(c: Setting1D, score: ScoreFn, model: string, seed: number, n: number | null, rng: Rng, st: Stats, signal?: AbortSignal) {
  const x = (await eulerMaruyama(score, c.sde, { n: c.sampleSize, steps: c.sampleSteps, rng, shape: [1], signal })) as tf.Tensor;
  const xs = tf.tidy(() => x.mul(st.s).add(st.m));
  const dist = w1(xs.dataSync(), c.testArr);
  tf.dispose([x, xs]);
  const testStd = toStd(c.testRaw, st);
  // In 1-D a Rademacher probe z = +-1 gives z J z = J exactly, so Hutchinson is the exact divergence here (and it
  // avoids logLikelihood's "exact" path, which fails for d = 1 in oneHot).
  const ll = await convergedLikelihood(score, c.sde, testStd, { tol: LL_TOL, maxSteps: c.llMaxSteps, rng, signal }).finally(() => testStd.dispose());
  const base = { experiment: "fusion-1d", model, dataset: "gmm-1d", seed, n, auxiliaries: c.auxiliaries, standardise: c.standardise };
  const rows: ResultRow[] = [{ ...base, metric: "w1", value: dist }, { ...base, metric: "loglik", value: ll.meanLogp - Math.log(st.s), ode_steps: ll.steps }];
  return { rows, w1: dist, converged: ll.converged };
}

/** Mean and std of a 1-D sample (disposes it when `dispose`). */
export function stats(x: tf.Tensor, dispose: boolean): Stats {
  const { mean, variance } = tf.moments(x);
  const out = { m: mean.dataSync()[0], s: Math.sqrt(variance.dataSync()[0]) };
  tf.dispose([mean, variance]);
  if (dispose) x.dispose();
  return out;
}

/**
 * Runs one cell: n target points split 80/20; the null level, fused (Liu et al. 2025, eq. 6, exact QP), best
 * auxiliary and target-only (early-stopped on the 20 %).
 */
export async function cell1D(c: Cell1DContext, n: number, seed: number, signal?: AbortSignal): Promise<FusionCell> {
  const out: FusionCell = { n, seed, rows: [], weights: [], unconverged: 0 };
  const evaluate = async (score: ScoreFn, model: string, rng: Rng, st: Stats) => {
    const e = await evaluate1D(c, score, model, seed, n, rng, st, signal);
    if (!e.converged) out.unconverged++;
    out.rows.push(...e.rows);
  };
  const target = new GaussianMixture(TARGET_1D);
  // Every model fits on the same 80 % of the n points; target-only also stops early on the other 20 %.
  const { fit, val } = splitTarget(n);
  const raw = target.sample(n, new Rng(10000 * seed + n));
  const fitRaw = raw.slice([0, 0], [fit, 1]);
  const st = c.standardise === "common" ? c.pooled : stats(fitRaw, false);
  const data = toStd(fitRaw, st);
  const valData = tf.tidy(() => toStd(raw.slice([fit, 0], [val, 1]), st));
  tf.dispose([raw, fitRaw]);
  const own = mlpScoreNet(c.sde, [1], new Rng(40000 * seed + n), { width: c.width, depth: 3 });
  const base = { seed, n, auxiliaries: c.auxiliaries, standardise: c.standardise };
  try {
    // The null level: W1 between two independent target samples of the sizes every model is measured at.
    const fresh = target.sample(c.sampleSize, new Rng(70000 * seed + n));
    out.rows.push({ experiment: "fusion-1d", model: "null (target sample)", dataset: "gmm-1d", ...base, metric: "w1", value: w1(fresh.dataSync(), c.testArr) });
    fresh.dispose();
    const fuseOpts = { tRange: c.fusionTRange, samples: 4096, names: ["auxiliary-1", "auxiliary-2"] };
    const fused = await fuse(c.aux, data, { ...fuseOpts, rng: new Rng(20000 * seed + n) });
    out.weights = fused.weights;
    out.fit = await weightFit(fused, c.aux, data, fuseOpts, new Rng(80000 * seed + n));
    await evaluate(fused.score, "fused", new Rng(30000 * seed + n), st);
    const best = fused.diagnostics.lossPerModel[0] <= fused.diagnostics.lossPerModel[1] ? 0 : 1;
    out.rows.push({ experiment: "fusion-1d", model: "best-auxiliary", dataset: "gmm-1d", ...base, metric: "w1", value: c.auxW1[best], picked: best + 1 });
    recordStop(out, "target-only", await trainEarlyStopped(own, data, valData, { maxSteps: c.steps, rng: new Rng(50000 * seed + n), batchSize: 128, signal }));
    if (signal?.aborted) return out;
    await evaluate(own.score, "target-only", new Rng(60000 * seed + n), st);
  } finally {
    own.dispose();
    tf.dispose([data, valData]);
  }
  return out;
}

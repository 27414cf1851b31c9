/**
 * One seed of the SD-flow study (Weber 2023), measured as a referee would: every distance of the flowed particles is
 * taken to held-out target samples the flow never saw, next to the same distance for an independent sample of the
 * target (the null level no n-point sample can beat on average), and the copying of the samples the flow pulled
 * toward is measured against a fresh sample's. The exact-Gaussian flow is compared with its closed form
 * (gaussian-closed-form.ts). Everything comes back as rows of the study table, so a seed run as a sweep trial in
 * another process returns the same data as one run here.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, fail, checkNumber, type LongWorkOptions } from "../tensor";
import { ringGaussians } from "../data/toys";
import { gaussianScore } from "../score/exact";
import { median, nearestNeighbourDistances, slicedWasserstein } from "../metrics";
import { gaussianKL, type GaussianSpec } from "../bounds/gaussian";
import { cholesky } from "../linalg";
import type { ResultRow } from "../table";
import { sdFlow, type FlowSnapshot } from "./sd-flow";
import { noiseLevelSDE } from "./noise-level";
import { particleMoments } from "./gaussian-fit";
import { gaussianSDFlowAt } from "./gaussian-closed-form";

/** The sizes of one seed; `flowSettings(quick)` gives the study's. */
export interface FlowSettings {
  /** Particles, training (pulled-toward) samples, held-out samples and null samples each. */
  n: number;
  /** Kernel-flow iterations, sigma annealed geometrically from sigmaMax to sigmaMin. */
  iterations: number;
  sigmaMax: number;
  sigmaMin: number;
  /** Exact-Gaussian flow: Euler steps of size eta (flow time tau = eta * gaussianIterations). */
  gaussianIterations: number;
  eta: number;
  /** Random directions of the final sliced-W2 distances (the per-iteration curve uses 32). */
  projections: number;
}

/** Full mode: 800 points as before; quick mode cuts points and kernel iterations, not the Gaussian flow (cheap). */
export function flowSettings(quick: boolean): FlowSettings {
  return quick
    ? { n: 200, iterations: 60, sigmaMax: 2, sigmaMin: 0.02, gaussianIterations: 500, eta: 0.01, projections: 256 }
    : { n: 800, iterations: 200, sigmaMax: 2, sigmaMin: 0.02, gaussianIterations: 500, eta: 0.01, projections: 256 };
}

/** The exact-Gaussian case's target: correlated, so the closed form's full covariance is exercised. */
export const GAUSSIAN_TARGET: GaussianSpec = { mean: [2, -1], cov: [[1, 0.4], [0.4, 0.5]] };
/** The source every particle set is drawn from. */
export const STANDARD_SOURCE: GaussianSpec = { mean: [0, 0], cov: [[1, 0], [0, 1]] };

export interface FlowSeedResult {
  rows: ResultRow[];
  /** Particles of the kernel flow at a few iterations, and the samples it pulled toward (for the figure). */
  snapshots: FlowSnapshot[];
  train: number[][];
}

function sampleGaussian(g: GaussianSpec, n: number, rng: Rng): tf.Tensor2D {
  const L = cholesky(g.cov);
  return tf.tidy(() => tf.add(tf.matMul(rng.normal([n, g.mean.length]), tf.tensor2d(L), false, true), tf.tensor2d([g.mean])) as tf.Tensor2D);
}

/**
 * Runs seed `seed` of the study: the kernel SD flow from N(0, I) to the 8-Gaussian ring and the exact-Gaussian
 * flow; returns the study-table rows and the kernel flow's snapshots.
 * @example const { rows } = await flowSeed(0, flowSettings(true));
 */
export async function flowSeed(seed: number, s: FlowSettings, opts: LongWorkOptions = {}): Promise<FlowSeedResult> {
  const fn = "flowSeed";
  checkNumber(seed, "seed", fn, { integer: true, min: 0 });
  if (!s || typeof s !== "object") fail(fn, "settings", "must be a FlowSettings object (see flowSettings)");
  const rng = new Rng(seed);
  const rows: ResultRow[] = [];
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T) => { made.push(t); return t; };
  try {
    // Kernel flow: the flow pulls toward `train`; `heldout` judges it; `fresh` is the null (an independent sample).
    const train = keep(ringGaussians(s.n, rng.fork(1)).x);
    const heldout = keep(ringGaussians(s.n, rng.fork(2)).x);
    const fresh = keep(ringGaussians(s.n, rng.fork(3)).x);
    const src = keep(rng.fork(4).normal([s.n, 2]) as tf.Tensor2D);
    const total = s.iterations + s.gaussianIterations;
    const r = await sdFlow(src, train, {
      iterations: s.iterations, sigmaMax: s.sigmaMax, sigmaMin: s.sigmaMin, reference: heldout, metricEvery: Math.max(1, Math.floor(s.iterations / 20)),
      keepEvery: Math.max(1, Math.floor(s.iterations / 3)), rng: rng.fork(5), signal: opts.signal,
      onStep: (p) => opts.onStep?.({ ...p, step: p.step, total }),
    });
    keep(r.particles);
    if (r.stopped) throw abortError(fn, r.steps, total, "flow iteration");
    const base = { experiment: "sdflow-kernel", dataset: "ring8", seed };
    for (const h of r.history) if (h.sw !== undefined) rows.push({ ...base, model: "sd-flow", metric: "heldout-sw-curve", value: h.sw, iter: h.iter, sigma: h.sigma });
    // The same directions for every final distance, so their differences are not projection noise.
    const sw = (x: tf.Tensor2D, y: tf.Tensor2D) => slicedWasserstein(x, y, { rng: rng.fork(6), projections: s.projections });
    const fit = particleMoments(train);
    const gaussFit = keep(sampleGaussian(fit, s.n, rng.fork(7)));
    rows.push(
      { ...base, model: "sd-flow", metric: "sw-heldout", value: sw(r.particles, heldout) },
      { ...base, model: "source", metric: "sw-heldout", value: sw(src, heldout) },
      { ...base, model: "fresh-sample", metric: "sw-heldout", value: sw(fresh, heldout) },
      { ...base, model: "gaussian-fit", metric: "sw-heldout", value: sw(gaussFit, heldout) },
      { ...base, model: "sd-flow", metric: "sw-train", value: sw(r.particles, train) },
      { ...base, model: "sd-flow", metric: "median-nn-train", value: median(nearestNeighbourDistances(r.particles, train)) },
      { ...base, model: "fresh-sample", metric: "median-nn-train", value: median(nearestNeighbourDistances(fresh, train)) },
    );
    rows.push(...await gaussianSeed(seed, s, rng, keep, opts, s.iterations, total));
    return { rows, snapshots: r.trajectory, train: train.arraySync() as number[][] };
  } finally {
    tf.dispose(made);
  }
}

/**
 * The exact-Gaussian flow of one seed: target score exact, source proxy the particles' own Gaussian fit, sigma = 0,
 * Euler steps. Rows per recorded tau: KL(particles' fit || p), the closed form's KL from the particles' initial
 * fit, and the departure KL(particles' fit || closed form); per seed: the source's sampling error
 * KL(fit_0 || N(0, I)), final moments, and held-out distances as for the kernel flow.
 */
async function gaussianSeed(seed: number, s: FlowSettings, rng: Rng, keep: <T extends tf.Tensor>(t: T) => T, opts: LongWorkOptions, done: number, total: number): Promise<ResultRow[]> {
  const p = GAUSSIAN_TARGET;
  const target = gaussianScore(noiseLevelSDE(), p.mean, p.cov);
  const rows: ResultRow[] = [];
  const base = { experiment: "sdflow-gaussian", dataset: "gaussian-2d", seed, n: s.n };
  try {
    const src = keep(rng.fork(8).normal([s.n, 2]) as tf.Tensor2D);
    const heldout = keep(sampleGaussian(p, s.n, rng.fork(9)));
    const fresh = keep(sampleGaussian(p, s.n, rng.fork(10)));
    const every = Math.max(1, Math.floor(s.gaussianIterations / 25));
    const r = await sdFlow(src, target.score, {
      iterations: s.gaussianIterations, eta: s.eta, stepScale: "unit", anneal: "constant", sigmaMax: 0, sourceScore: "gaussian",
      metrics: [], keepEvery: every, signal: opts.signal, onStep: (q) => opts.onStep?.({ ...q, step: done + q.step, total }),
    });
    keep(r.particles);
    if (r.stopped) throw abortError("flowSeed", done + r.steps, total, "flow iteration");
    const fits = r.trajectory.map((f) => { const t = tf.tensor2d(f.points); const m = particleMoments(t); t.dispose(); return { tau: f.iter * s.eta, m }; });
    const start = fits[0].m;
    for (const { tau, m } of fits) {
      const closed = gaussianSDFlowAt(start, p, tau);
      rows.push(
        { ...base, model: "sd-flow", metric: "kl-to-target", value: gaussianKL(m, p), tau },
        { ...base, model: "closed-form", metric: "kl-to-target", value: gaussianKL(closed, p), tau },
        { ...base, model: "sd-flow", metric: "kl-departure", value: gaussianKL(m, closed), tau },
      );
    }
    const last = fits[fits.length - 1];
    const closedEnd = gaussianSDFlowAt(start, p, last.tau);
    const moments = (model: string, g: GaussianSpec): ResultRow[] => [
      { ...base, model, metric: "mean-0", value: g.mean[0] }, { ...base, model, metric: "mean-1", value: g.mean[1] },
      { ...base, model, metric: "cov-00", value: g.cov[0][0] }, { ...base, model, metric: "cov-01", value: g.cov[0][1] }, { ...base, model, metric: "cov-11", value: g.cov[1][1] },
    ];
    const sw = (x: tf.Tensor2D, y: tf.Tensor2D) => slicedWasserstein(x, y, { rng: rng.fork(11), projections: s.projections });
    rows.push(
      { ...base, model: "source", metric: "kl-sampling", value: gaussianKL(start, STANDARD_SOURCE) },
      ...moments("sd-flow", last.m), ...moments("closed-form", closedEnd),
      { ...base, model: "sd-flow", metric: "sw-heldout", value: sw(r.particles, heldout) },
      { ...base, model: "source", metric: "sw-heldout", value: sw(src, heldout) },
      { ...base, model: "fresh-sample", metric: "sw-heldout", value: sw(fresh, heldout) },
    );
    return rows;
  } finally {
    target.dispose();
  }
}

/**
 * Refinement of any generator (Husain, De Bortoli, Nock, arXiv 2603.18817): draw a pool from the base
 * generator, train a discriminator (not time-conditioned) against the data with an f-divergence objective,
 * and draw from the refined law q (f*)'(T_hat) / Z by SIR or rejection (reweight.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkLongWork, checkNumber, fail, type LongWorkOptions } from "../tensor";
import { GaussianMixture } from "../data/gmm";
import type { ScoreModel } from "../sde/types";
import { eulerMaruyama } from "../sample/euler-maruyama";
import { type DiscriminatorOptions, type Discriminator, mlpDiscriminator } from "./discriminator";
import { type DivergenceObjective, logRatioFromOutput, trainDiscriminator } from "./train-discriminator";
import { importanceWeights, rejectionSample, sampleImportanceResample } from "./reweight";

/** A base generator: an object with sample(n, rng) (e.g. a GaussianMixture), a score model (sampled by Euler–Maruyama), or a function. */
export type Generator =
  | { sample(n: number, rng: Rng): tf.Tensor2D }
  | ScoreModel
  | ((n: number, rng: Rng) => tf.Tensor2D | Promise<tf.Tensor2D>);

/**
 * n samples [n, d] of a generator. Score models are sampled by Euler–Maruyama with `steps` steps.
 * @example const x = await drawFrom(new GaussianMixture({ weights: [1], means: [[0, 0]] }), 100, new Rng(0), 2);
 */
export async function drawFrom(gen: Generator, n: number, rng: Rng, dim: number, opts: { steps?: number; signal?: AbortSignal } = {}): Promise<tf.Tensor2D> {
  const fn = "drawFrom";
  checkNumber(n, "n", fn, { integer: true, min: 1 });
  let x: unknown;
  if (typeof gen === "function") x = await gen(n, rng);
  else if (gen instanceof GaussianMixture || (gen && typeof (gen as { sample?: unknown }).sample === "function")) x = (gen as { sample(n: number, rng: Rng): tf.Tensor2D }).sample(n, rng);
  else if (gen && typeof (gen as ScoreModel).score === "function" && (gen as ScoreModel).sde) {
    const m = gen as ScoreModel;
    x = await eulerMaruyama(m.score, m.sde, { n, steps: opts.steps ?? 200, rng, shape: [dim], signal: opts.signal });
  } else {
    return fail(fn, "gen", "must be an object with sample(n, rng), a score model {sde, score}, or a function (n, rng) => samples");
  }
  if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[0] !== n || x.shape[1] !== dim) {
    tf.dispose(x as tf.Tensor);
    fail(fn, "gen", `must produce a tensor of shape [${n}, ${dim}], got ${x instanceof tf.Tensor ? `[${x.shape}]` : typeof x}`);
  }
  return x as tf.Tensor2D;
}

export interface RefineOptions extends LongWorkOptions {
  rng: Rng;
  /** "sir" (default) or "rejection". */
  method?: "sir" | "rejection";
  /** Refined samples wanted (SIR; default 1000). Rejection returns what it accepts from the pool. */
  n?: number;
  /** Base samples to train the discriminator on (default 2000). */
  trainSize?: number;
  /** Fresh base samples to reweight (default 4000): separate from the training ones, so weights are not overfit. */
  pool?: number;
  objective?: DivergenceObjective;
  /** Discriminator training steps (default 500), batch (default 128), lr (default 2e-3). */
  steps?: number;
  batchSize?: number;
  lr?: number;
  discriminator?: DiscriminatorOptions;
  /** Steps of Euler–Maruyama when the base is a score model (default 200). */
  samplerSteps?: number;
}

export interface RefineResult {
  /** Refined samples. */
  x: tf.Tensor2D;
  /** The base pool that was reweighted (caller disposes). */
  pool: tf.Tensor2D;
  /** The trained discriminator (caller disposes). */
  discriminator: Discriminator;
  history: number[];
  /** log p/q on the pool (the refined law's weights are e^logRatio / Z). */
  logRatio: Float64Array;
  /** How the discriminator's output reads as a log ratio (logRatioFromOutput), so refinedKL can evaluate the same law. */
  objective: DivergenceObjective;
  ess: number;
  essFraction: number;
  /** Rejection only. */
  acceptanceRate?: number;
  warnings: string[];
}

/**
 * Refines a base generator towards `data` [n, d]: trains an unconditioned discriminator on base samples vs data
 * ("bce": p/q = d / (1 - d) = e^v; "kl": p/q = e^(T - 1)), then resamples a fresh pool by SIR or rejection.
 * Its result is a sample, so an abort throws an AbortError (src/tensor/long-work.ts).
 * @example
 * const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
 * const { x, ess } = await refineGenerator(model, data, { rng: new Rng(0) });
 */
export async function refineGenerator(base: Generator, data: tf.Tensor2D, opts: RefineOptions): Promise<RefineResult> {
  const fn = "refineGenerator";
  if (!(data instanceof tf.Tensor) || data.rank !== 2) fail(fn, "data", `must be a tensor [n, d]`);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object {rng, ...}");
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const method = opts.method ?? "sir";
  if (method !== "sir" && method !== "rejection") fail(fn, "opts.method", `must be "sir" or "rejection", got ${String(method)}`);
  const n = checkNumber(opts.n ?? 1000, "opts.n", fn, { integer: true, min: 1 });
  const trainSize = checkNumber(opts.trainSize ?? 2000, "opts.trainSize", fn, { integer: true, min: 2 });
  const poolSize = checkNumber(opts.pool ?? 4000, "opts.pool", fn, { integer: true, min: 2 });
  const objective = opts.objective ?? "bce";
  checkLongWork(opts, fn);
  const dim = data.shape[1];
  const rng = opts.rng;
  const fakeTrain = await drawFrom(base, trainSize, rng.fork(1), dim, { steps: opts.samplerSteps, signal: opts.signal });
  const disc = mlpDiscriminator(dim, rng.fork(2), { ...(opts.discriminator ?? {}), timeConditioned: false });
  let pool: tf.Tensor2D | undefined;
  try {
    const tr = await trainDiscriminator(disc, data, fakeTrain, {
      steps: opts.steps ?? 500, rng: rng.fork(3), batchSize: opts.batchSize, lr: opts.lr, objective, onStep: opts.onStep, every: 10, signal: opts.signal,
    });
    // The result is a sample: a discriminator stopped part way gives no refined law (long-work contract).
    if (tr.stopped) throw abortError(fn, tr.steps, opts.steps ?? 500);
    pool = await drawFrom(base, poolSize, rng.fork(4), dim, { steps: opts.samplerSteps, signal: opts.signal });
    const lrT = tf.tidy(() => logRatioFromOutput(disc.logit(pool!), objective));
    const logRatio = Float64Array.from(lrT.dataSync());
    lrT.dispose();
    if (method === "sir") {
      const r = sampleImportanceResample(pool, logRatio, { n, rng: rng.fork(5) });
      return { x: r.x, pool, discriminator: disc, history: tr.history, logRatio, objective, ess: r.ess, essFraction: r.essFraction, warnings: r.warnings };
    }
    const r = rejectionSample(pool, logRatio, { rng: rng.fork(5) });
    const iw = importanceWeights(logRatio);
    return { x: r.x, pool, discriminator: disc, history: tr.history, logRatio, objective, ess: iw.ess, essFraction: iw.essFraction, acceptanceRate: r.acceptanceRate, warnings: r.warnings };
  } catch (e) {
    disc.dispose();
    tf.dispose(pool);
    throw e;
  } finally {
    fakeTrain.dispose();
  }
}


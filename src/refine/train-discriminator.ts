/**
 * Training a discriminator between data (label 1) and model samples (label 0).
 *
 * Time-conditioned (discriminator guidance, Kim et al. ICML 2023, eq. 7): both sets are forward-diffused,
 * x_t = a(t) x_0 + s(t) eps with t ~ U[tMin, T], and the loss is the time-weighted binary cross-entropy
 *   L = E_t lambda(t) [ E_data softplus(-v(x_t, t)) + E_model softplus(v(x_t, t)) ],
 * whose minimiser is v* = log p_t(x) - log q_t(x) (the logit of the Bayes classifier with equal priors).
 *
 * The f-divergence view (Husain, De Bortoli, Nock, arXiv 2603.18817; Nguyen, Wainwright, Jordan 2010; f-GAN,
 * Nowozin et al. 2016): D_f(P || Q) = sup_T E_P[T] - E_Q[f*(T)], optimum T* = f'(p/q), so p/q = (f*)'(T*).
 *   "bce" (Jensen–Shannon up to constants): the classifier logit v gives p/q = d / (1 - d) = exp(v).
 *   "kl" (f(u) = u log u, f*(t) = exp(t - 1)): loss -E_P[T] + E_Q[exp(T - 1)], and p/q = exp(T - 1).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkFiniteTensor, checkLongWork, checkNumber, checkPositiveInt, checkTensor, fail, type LongWorkOptions } from "../tensor";
import { isSDE } from "../sde/sde";
import type { SDE } from "../sde/types";
import { rowsWithReplacement, runTrainer } from "../train";
import { Discriminator, LOGIT_CLIP } from "./discriminator";

/** Which variational bound the discriminator maximises (its output's meaning follows). */
export type DivergenceObjective = "bce" | "kl";

/** lambda(t): "uniform" (1, as the DG code), "variance" (s(t)^2: less weight where the sets barely differ), or a function. */
export type TimeWeighting = "uniform" | "variance" | ((t: number) => number);

export interface DiscriminatorTrainOptions extends LongWorkOptions {
  steps: number;
  rng: Rng;
  /** Rows of each class per step (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 2e-3). */
  lr?: number;
  objective?: DivergenceObjective;
  /** Required for a time-conditioned discriminator: the forward SDE that diffuses both sets. */
  sde?: SDE;
  /** Smallest training time (default the SDE's tMin). */
  tMin?: number;
  weighting?: TimeWeighting;
  /** Report to onStep every this many steps and at the last, with {step, total, loss, gradNorm} (default 1). */
  every?: number;
  /** Yield to the event loop every this many steps (default 5). */
  yieldEvery?: number;
}

export interface DiscriminatorTrainResult {
  /** Loss per step (weighted, mean over the batch). */
  history: number[];
  steps: number;
  stopped: boolean;
  seconds: number;
}

/**
 * The log density ratio log(p/q) implied by a discriminator output under an objective:
 * "bce": v (the logit); "kl": T - 1. Clipped to +-LOGIT_CLIP, the range of d in [1e-5, 1 - 1e-5].
 * @example const lr = logRatioFromOutput(disc.logit(x), "bce");
 */
export function logRatioFromOutput(out: tf.Tensor, objective: DivergenceObjective = "bce"): tf.Tensor1D {
  const fn = "logRatioFromOutput";
  checkTensor(out, "out", fn);
  if (objective !== "bce" && objective !== "kl") fail(fn, "objective", `must be "bce" or "kl", got ${String(objective)}`);
  return tf.tidy(() => tf.clipByValue(tf.reshape(objective === "bce" ? out : tf.sub(out, 1), [-1]), -LOGIT_CLIP, LOGIT_CLIP) as tf.Tensor1D);
}

function checkSet(x: unknown, name: string, dim: number, fn: string): tf.Tensor2D {
  const t = checkTensor(x, name, fn);
  if (t.rank !== 2 || t.shape[1] !== dim) fail(fn, name, `must have shape [n, ${dim}], got [${t.shape}]`);
  if (t.shape[0] < 2) fail(fn, name, `must hold at least 2 rows, got ${t.shape[0]}`);
  checkFiniteTensor(t, name, fn);
  return t as tf.Tensor2D;
}

/**
 * Trains `disc` in place to tell `real` [n, d] (label 1) from `fake` [m, d] (label 0) on the one training loop
 * (src/train/trainer.ts: Adam, the finite check before each update; no clipping, no EMA). With a
 * time-conditioned discriminator each batch is forward-diffused by `opts.sde` at t ~ U[tMin, T] (the same t law
 * for both classes) and the loss is weighted by lambda(t).
 * @example
 * const disc = mlpDiscriminator(2, new Rng(0));
 * await trainDiscriminator(disc, data, modelSamples, { steps: 500, rng: new Rng(1), sde: vpSDE() });
 */
export async function trainDiscriminator(disc: Discriminator, real: tf.Tensor2D, fake: tf.Tensor2D, opts: DiscriminatorTrainOptions): Promise<DiscriminatorTrainResult> {
  const fn = "trainDiscriminator";
  if (!(disc instanceof Discriminator)) fail(fn, "disc", "must be a Discriminator (from mlpDiscriminator)");
  checkSet(real, "real", disc.dim, fn);
  checkSet(fake, "fake", disc.dim, fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object {steps, rng, ...}");
  const steps = checkPositiveInt(opts.steps, "opts.steps", fn);
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const batch = checkPositiveInt(opts.batchSize ?? 128, "opts.batchSize", fn);
  const lr = checkNumber(opts.lr ?? 2e-3, "opts.lr", fn, { gt: 0 });
  const objective = opts.objective ?? "bce";
  if (objective !== "bce" && objective !== "kl") fail(fn, "opts.objective", `must be "bce" or "kl", got ${String(objective)}`);
  const every = checkPositiveInt(opts.every ?? 1, "opts.every", fn);
  const yieldEvery = checkPositiveInt(opts.yieldEvery ?? 5, "opts.yieldEvery", fn);
  checkLongWork(opts, fn);
  const weighting = opts.weighting ?? "uniform";
  if (weighting !== "uniform" && weighting !== "variance" && typeof weighting !== "function") fail(fn, "opts.weighting", `must be "uniform", "variance" or a function of t, got ${String(weighting)}`);
  let sde: SDE | undefined;
  let tMin = 0;
  if (disc.timeConditioned) {
    if (!isSDE(opts.sde)) fail(fn, "opts.sde", "must be an SDE: the discriminator is time-conditioned, so both sets are forward-diffused");
    sde = opts.sde;
    tMin = checkNumber(opts.tMin ?? sde.tMin, "opts.tMin", fn, { gt: 0, lt: sde.T });
  } else if (opts.sde !== undefined) {
    fail(fn, "opts.sde", "applies to a time-conditioned discriminator only (this one is not)");
  }
  const rng = opts.rng;
  const lambdaOf = (t: tf.Tensor): tf.Tensor => {
    if (weighting === "uniform") return tf.onesLike(t);
    if (weighting === "variance") return tf.square(sde!.marginal(t).std);
    const ts = t.dataSync();
    return tf.tensor1d(Array.from(ts, (v) => weighting(v)));
  };
  const pick = (set: tf.Tensor2D) => tf.gather(set, tf.tensor1d(rowsWithReplacement(set.shape[0], batch, rng), "int32"));
  return runTrainer({
    fn, variables: disc.variables, steps, lr, every, yieldEvery, onStep: opts.onStep, signal: opts.signal,
    batch: () => {
      let xr: tf.Tensor = pick(real), xf: tf.Tensor = pick(fake);
      let tr: tf.Tensor | undefined, tfk: tf.Tensor | undefined;
      let wr: tf.Tensor = tf.ones([batch]), wf: tf.Tensor = tf.ones([batch]);
      if (sde) {
        const diffuse = (x0: tf.Tensor, t: tf.Tensor) => {
          const { scale, std } = sde!.marginal(t);
          return tf.add(tf.mul(x0, tf.reshape(scale, [-1, 1])), tf.mul(rng.normal(x0.shape), tf.reshape(std, [-1, 1])));
        };
        tr = rng.uniform([batch], tMin, sde.T); tfk = rng.uniform([batch], tMin, sde.T);
        xr = diffuse(xr, tr); xf = diffuse(xf, tfk);
        wr = lambdaOf(tr); wf = lambdaOf(tfk);
      }
      return () => {
        const vr = disc.logit(xr, tr), vf = disc.logit(xf, tfk);
        // bce: softplus(-v) on data, softplus(v) on the model; kl: -T on data, exp(T - 1) on the model
        // (T capped so that one wild output cannot overflow the exponential).
        const lr_ = objective === "bce" ? tf.softplus(tf.neg(vr)) : tf.neg(vr);
        const lf = objective === "bce" ? tf.softplus(vf) : tf.exp(tf.sub(tf.minimum(vf, 30), 1));
        return tf.add(tf.mean(tf.mul(wr, lr_)), tf.mean(tf.mul(wf, lf))) as tf.Scalar;
      };
    },
  });
}

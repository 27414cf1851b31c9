/**
 * A forward-time training objective with randomised time gaps: RECONSTRUCTED FROM A ONE-LINE SUMMARY of Yi, Sun,
 * Li, "On the Generalization of Diffusion Model" (arXiv 2305.14712), whose exact definition was not available
 * here ("a forward-time objective that estimates the expected noise between two time steps given x_t,
 * E[xi_{t,s} | x_t], with randomised time gaps and Tweedie's formula"). Read the paper before citing results of
 * this file as the paper's.
 *
 * The reading implemented. Draw t ~ U[tMin, T] and a gap fraction u ~ U[0, 1); s = u t. Diffuse the data to s,
 *   x_s = a_s x0 + s_s eps,
 * then run the forward process on from s to t,
 *   x_t = a_{t|s} x_s + s_{t|s} xi,   a_{t|s} = a_t / a_s,   s_{t|s}^2 = s_t^2 - a_{t|s}^2 s_s^2,
 * and regress the noise added between s and t, xi, on x_t. By Tweedie's formula applied to the step s -> t,
 *   E[xi | x_t] = -s_{t|s} grad log p_t(x_t) = (s_{t|s} / s_t) E[eps_t | x_t],
 * so the network keeps the usual noise-prediction output eps_hat(x_t, t) and is trained with
 *   L = E || (s_{t|s} / s_t) eps_hat(x_t, t) - xi ||^2   (mean over coordinates).
 *
 * What follows from this reading (derived, and worth stating because it disagrees with the summary's claim): the
 * law of x_t does not depend on s, so u is independent of x_t and the minimiser over all functions is
 *   eps_hat* = E_u[(s_{t|s}/s_t) E[xi | x_t, u]] / E_u[(s_{t|s}/s_t)^2] = -s_t grad log p_t(x_t),
 * the same as the DSM minimiser — on the population and on the empirical distribution of a training set alike.
 * So under this reading the empirical optimum is the memorizing one of dsm, and any difference is in what SGD
 * reaches with a noisier target (the target xi carries less information about x0 than eps does, so the gradient
 * signal towards single training points is weaker). The paper's objective must differ in some detail that the
 * summary leaves out; the study reports what this reading measures.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkFiniteTensor, checkTensor, fail, type LongWorkOptions } from "../tensor";
import { ScoreNet } from "../score";
import { rowsWithReplacement, runTrainer, trainSettings } from "../train";

/**
 * The randomised-gap forward-noise loss on a batch x0 [n, ...] (scalar tensor), `which` weight set of the model.
 * t [n] in (0, T], u [n] in [0, 1), eps and xi shaped like x0.
 * @example const l = gapNoiseLoss(model, x0, t, u, eps, xi);
 */
export function gapNoiseLoss(model: ScoreNet, x0: tf.Tensor, t: tf.Tensor, u: tf.Tensor, eps: tf.Tensor, xi: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const sde = model.sde;
    const n = x0.shape[0];
    const row = [n, ...x0.shape.slice(1).map(() => 1)];
    const s = tf.mul(t, u);
    const mt = sde.marginal(t); const ms = sde.marginal(s);
    const aTS = tf.div(mt.scale, ms.scale);
    const sTS = tf.sqrt(tf.relu(tf.sub(tf.square(mt.std), tf.square(tf.mul(aTS, ms.std)))));
    const xs = tf.add(tf.mul(x0, tf.reshape(ms.scale, row)), tf.mul(eps, tf.reshape(ms.std, row)));
    const xt = tf.add(tf.mul(xs, tf.reshape(aTS, row)), tf.mul(xi, tf.reshape(sTS, row)));
    const ratio = tf.reshape(tf.div(sTS, mt.std), row);
    return tf.mean(tf.square(tf.sub(tf.mul(ratio, model.epsilon(xt, t, "raw")), xi))) as tf.Scalar;
  });
}

export interface GapTrainOptions extends LongWorkOptions {
  steps: number;
  rng: Rng;
  batchSize?: number;
  lr?: number;
  /** EMA decay (default 0.999; 0 keeps none). */
  ema?: number;
  clipNorm?: number;
  /** Report to onStep every this many steps and at the last, with {step, total, loss, gradNorm} (default 1). */
  every?: number;
}

/**
 * Trains `model` in place with the randomised-gap forward-noise objective (see the file comment: a
 * reconstruction) on the one training loop (src/train/trainer.ts: Adam, clipping, EMA, the finite check before
 * each update). Batches are drawn with replacement. Returns the loss history.
 * @example const { history } = await trainGapObjective(mlpScoreNet(vpSDE(), [2], rng), train, { steps: 2000, rng });
 */
export async function trainGapObjective(model: ScoreNet, data: tf.Tensor, opts: GapTrainOptions): Promise<{ model: ScoreNet; history: number[]; steps: number; stopped: boolean }> {
  const fn = "trainGapObjective";
  if (!(model instanceof ScoreNet)) fail(fn, "model", "must be a ScoreNet (mlpScoreNet, ...)");
  checkTensor(data, "data", fn);
  if (data.rank < 2 || data.shape[0] < 1) fail(fn, "data", `must have shape [n, ${model.shape}], got [${data.shape}]`);
  checkFiniteTensor(data, "data", fn);
  if (!opts || !(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const { steps, batchSize, lr, ema, clipNorm, every } = trainSettings(opts, fn);
  const { rng } = opts;
  const sde = model.sde;
  if (ema > 0 && !model.ema) model.resetEma();
  const rowShape = data.shape.slice(1);
  const n = data.shape[0];
  const r = await runTrainer({
    fn, variables: model.variables, steps, lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, clipNorm,
    ema: ema > 0 && model.ema ? { vars: model.ema, decay: ema } : null, every, onStep: opts.onStep, signal: opts.signal,
    batch: () => {
      const x0 = tf.gather(data, tf.tensor1d(rowsWithReplacement(n, batchSize, rng), "int32"));
      const t = rng.uniform([batchSize], sde.tMin, sde.T);
      const u = rng.uniform([batchSize], 0, 1);
      const eps = rng.normal([batchSize, ...rowShape]);
      const xi = rng.normal([batchSize, ...rowShape]);
      return () => gapNoiseLoss(model, x0, t, u, eps, xi);
    },
  });
  if (ema > 0) model.useEma = true;
  return { model, history: r.history, steps: r.steps, stopped: r.stopped };
}

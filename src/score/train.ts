/**
 * Denoising score matching training (Song et al. 2021, eq. 7; loss in dsm-loss.ts) on the one training loop
 * (src/train/trainer.ts: Adam, clipping, EMA, the finite check before each update, progress, abort).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkFiniteTensor, checkLongWork, checkNumber, checkPositiveInt, checkTensor, checkTensorSize, fail, type LongWorkOptions } from "../tensor";
import { EpochBatches, runTrainer, type PowerEma } from "../train";
import { LOSS_WEIGHTINGS, LossWeighting, dsmLoss } from "./dsm-loss";
import { ScoreNet } from "./score-net";
import { labelTensor } from "./labels";
import { ScoreParam, checkScoreParam } from "./parameterisation";
import { TrainingNoiseOptions, trainingTimes } from "./training-noise";

export interface TrainOptions extends LongWorkOptions, TrainingNoiseOptions {
  /** Number of optimiser steps (>= 1). */
  steps: number;
  rng: Rng;
  /** Mini-batch size (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** EMA decay in [0, 1) (default 0.999); 0 keeps no EMA. */
  ema?: number;
  /** Whether the model scores with the EMA weights after training (default true when an EMA is kept). */
  useEma?: boolean;
  /** Max global gradient norm (default 1); Infinity turns clipping off. */
  clipNorm?: number;
  /** The loss weighting (dsm-loss.ts): "param" (default: the parameterisation's own loss; for eps it is "eps",
   * lambda = s^2), "eps", "likelihood" (lambda = g^2) or "edm" (EDM's lambda(sigma)). */
  weighting?: LossWeighting;
  /** The parameterisation the model must have been built with (mlpScoreNet(..., { param })); a mismatch throws. */
  param?: ScoreParam;
  /** Smallest training time (default the SDE's tMin). */
  tMin?: number;
  /** Report to onStep every this many steps and at the last, with {step, total, loss, gradNorm} (default 1). */
  every?: number;
  /** Yield to the event loop every this many steps (default 5), so interrupts and progress output land. */
  yieldEvery?: number;
  /** Power-function EMAs with snapshots, for post-hoc EMA (src/train/phema.ts; runTrainer checks it). */
  phema?: PowerEma;
  /** One class label per data row, for a class-conditional model (built with opts.classes). */
  labels?: ArrayLike<number>;
  /** Probability that a row's label is replaced by the null label (default 0.1 with labels; Ho & Salimans 2022). */
  condDropout?: number;
}

export interface TrainResult {
  model: ScoreNet;
  /** Loss per step (mean over batch and coordinates). */
  history: number[];
  /** Steps done. */
  steps: number;
  /** Whether the signal stopped training early. */
  stopped: boolean;
  seconds: number;
}

function validate(model: ScoreNet, data: tf.Tensor, opts: TrainOptions) {
  const fn = "trainScore";
  if (!(model instanceof ScoreNet)) fail(fn, "model", "must be a ScoreNet (mlpScoreNet, unetScoreNet or loadModel)");
  checkTensor(data, "data", fn);
  const size = data.shape.slice(1).reduce((a, b) => a * b, 1);
  if (data.rank < 2 || size !== model.net.inputSize) {
    fail(fn, "data", `must have shape [n, ${model.shape}] (rank >= 2, ${model.net.inputSize} elements per row), got [${data.shape}]`);
  }
  if (data.shape[0] < 1) fail(fn, "data", "must hold at least one row");
  if (data.dtype !== "float32") fail(fn, "data", `must be float32, got ${data.dtype}`);
  checkFiniteTensor(data, "data", fn);
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an options object {steps, rng, ...}");
  const steps = checkPositiveInt(opts.steps, "opts.steps", fn);
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng (all randomness is seeded)");
  const batchSize = checkPositiveInt(opts.batchSize ?? 128, "opts.batchSize", fn);
  // A batch's noise, inputs and activations are several tensors of batchSize x row size: keep each well under the
  // ~4 GB where the wasm heap wraps silently (2^26 elements = 256 MB; a batch of 10,000 MNIST rows is 7.8e6).
  checkTensorSize(batchSize * size, "opts.batchSize", fn, 2 ** 26, `elements per batch (${batchSize} x ${size} per row)`);
  const lr = checkNumber(opts.lr ?? 1e-3, "opts.lr", fn, { gt: 0 });
  const ema = checkNumber(opts.ema ?? 0.999, "opts.ema", fn, { min: 0, lt: 1 });
  const clipNorm = opts.clipNorm === Infinity ? Infinity : checkNumber(opts.clipNorm ?? 1, "opts.clipNorm", fn, { gt: 0 });
  const weighting = opts.weighting ?? "param";
  if (!LOSS_WEIGHTINGS.includes(weighting)) fail(fn, "opts.weighting", `must be one of ${LOSS_WEIGHTINGS.join(", ")}, got ${String(weighting)}`);
  if (opts.param !== undefined && checkScoreParam(opts.param, fn, "opts.param") !== model.config.param) {
    fail(fn, "opts.param", `is ${JSON.stringify(opts.param)} but the model was built with param ${JSON.stringify(model.config.param)} (build it with mlpScoreNet(..., { param }))`);
  }
  const sde = model.sde;
  const tMin = checkNumber(opts.tMin ?? sde.tMin, "opts.tMin", fn, { gt: 0, lt: sde.T });
  const drawTimes = trainingTimes(sde, tMin, opts, fn);
  const every = checkPositiveInt(opts.every ?? 1, "opts.every", fn);
  const yieldEvery = checkPositiveInt(opts.yieldEvery ?? 5, "opts.yieldEvery", fn);
  checkLongWork(opts, fn);
  const classes = model.classes;
  let labels: Int32Array | null = null;
  if (opts.labels !== undefined) {
    if (!classes) fail(fn, "opts.labels", "must be omitted: the model is not class-conditional (build it with opts.classes)");
    const checked = labelTensor(opts.labels as ArrayLike<number>, data.shape[0], classes, fn, "opts.labels");
    labels = Int32Array.from(checked.dataSync());
    checked.dispose();
  } else if (classes) fail(fn, "opts.labels", `must give one label in [0, ${classes}) per data row: the model is class-conditional`);
  const condDropout = checkNumber(opts.condDropout ?? (labels ? 0.1 : 0), "opts.condDropout", fn, { min: 0, max: 1 });
  if (!labels && condDropout > 0) fail(fn, "opts.condDropout", "needs opts.labels (conditioning dropout drops labels)");
  return { steps, batchSize, lr, ema, clipNorm, weighting, tMin, every, yieldEvery, labels, classes, condDropout, drawTimes };
}

/** The labels of a batch's rows, each replaced by the null label with probability `dropout` (Ho & Salimans 2022, Alg. 1). */
function batchLabels(labels: Int32Array, rows: Int32Array, classes: number, dropout: number, rng: Rng): Int32Array {
  return rows.map((r) => (dropout > 0 && rng.next() < dropout ? classes : labels[r]));
}

/**
 * Trains `model` in place by DSM on `data` [n, ...shape]. Each step draws a batch (shuffled epochs), times t
 * (uniform on [tMin, T], or EDM's log-normal sigma with `noise: "lognormal"`, training-noise.ts) and eps ~ N(0, I), takes the gradient of the loss, clips it to `clipNorm`, applies Adam and updates the EMA.
 * A NaN or infinite loss throws and leaves the weights of the last step with a finite loss. The Adam state is
 * fresh on every call. After training with an EMA the model scores with the EMA weights (`useEma`). A
 * class-conditional model takes opts.labels and trains its null label by conditioning dropout, for guidance.
 * @example
 * const model = mlpScoreNet(vpSDE(), [2], new Rng(0));
 * const { history } = await trainScore(model, data, { steps: 2000, rng: new Rng(1), batchSize: 256 });
 */
export async function trainScore(model: ScoreNet, data: tf.Tensor, opts: TrainOptions): Promise<TrainResult> {
  const o = validate(model, data, opts);
  const { rng } = opts;
  const sde = model.sde;
  const keepEma = o.ema > 0;
  if (keepEma && !model.ema) model.resetEma();
  const rowShape = data.shape.slice(1);
  const batches = new EpochBatches(data.shape[0], rng);
  const r = await runTrainer({
    fn: "trainScore", variables: model.variables, steps: o.steps, lr: o.lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
    clipNorm: o.clipNorm, ema: keepEma && model.ema ? { vars: model.ema, decay: o.ema } : null,
    every: o.every, yieldEvery: o.yieldEvery, onStep: opts.onStep, signal: opts.signal, phema: opts.phema,
    batch: () => {
      const rows = batches.next(o.batchSize);
      const x0 = tf.gather(data, tf.tensor1d(rows, "int32"));
      const t = o.drawTimes(o.batchSize, rng);
      // t does not depend on the weights: its marginal is drawn with the batch, off the gradient tape, once a step.
      const marginal = sde.marginal(t);
      const eps = rng.normal([o.batchSize, ...rowShape]);
      const y = o.labels ? batchLabels(o.labels, rows, o.classes!, o.condDropout, rng) : undefined;
      return () => dsmLoss(model, x0, t, eps, o.weighting, "raw", y, marginal);
    },
  });
  if (keepEma) model.useEma = opts.useEma ?? true;
  else if (opts.useEma !== undefined) model.useEma = opts.useEma && !!model.ema;
  return { model, ...r };
}

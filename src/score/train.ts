/**
 * Denoising score matching training (Song et al. 2021, eq. 7; loss in dsm-loss.ts) with Adam (Kingma & Ba 2015),
 * gradient clipping by global norm, an EMA of the weights, progress callbacks, interrupts and divergence checks.
 */
import * as tf from "@tensorflow/tfjs";
import { FusedAdam, Rng, checkFiniteTensor, checkNumber, checkPositiveInt, checkTensor, checkTensorSize, fail, fusedAdamAvailable, type Progress } from "../tensor";
import { clipByGlobalNorm } from "./clip";
import { LossWeighting, dsmLoss } from "./dsm-loss";
import { emaDecayAt, updateEma } from "./ema";
import { ScoreNet } from "./score-net";

export interface TrainOptions {
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
  /** lambda(t): "eps" = s(t)^2 (default) or "likelihood" = g(t)^2. */
  weighting?: LossWeighting;
  /** Smallest training time (default the SDE's tMin). */
  tMin?: number;
  /** Called every `every` steps and at the last one with {step, total, loss, gradNorm}. */
  onStep?: Progress;
  every?: number;
  /** Stops before the next step; the model keeps what it learned. */
  signal?: AbortSignal;
  /** Yield to the event loop every this many steps (default 5), so interrupts and progress output land. */
  yieldEvery?: number;
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
  const weighting = opts.weighting ?? "eps";
  if (weighting !== "eps" && weighting !== "likelihood") fail(fn, "opts.weighting", `must be "eps" or "likelihood", got ${String(weighting)}`);
  const sde = model.sde;
  const tMin = checkNumber(opts.tMin ?? sde.tMin, "opts.tMin", fn, { gt: 0, lt: sde.T });
  const every = checkPositiveInt(opts.every ?? 1, "opts.every", fn);
  const yieldEvery = checkPositiveInt(opts.yieldEvery ?? 5, "opts.yieldEvery", fn);
  if (opts.onStep !== undefined && typeof opts.onStep !== "function") fail(fn, "opts.onStep", "must be a function");
  if (opts.signal !== undefined && !(opts.signal && typeof opts.signal.aborted === "boolean")) fail(fn, "opts.signal", "must be an AbortSignal");
  return { steps, batchSize, lr, ema, clipNorm, weighting, tMin, every, yieldEvery };
}

/** Draws mini-batch row indices: shuffled epochs, a fresh permutation when one runs out. */
class BatchIndex {
  private perm: Int32Array = new Int32Array(0);
  private pos = 0;
  constructor(private readonly n: number, private readonly rng: Rng) {}
  next(b: number): Int32Array {
    const out = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      if (this.pos >= this.perm.length) { this.perm = this.rng.permutation(this.n); this.pos = 0; }
      out[i] = this.perm[this.pos++];
    }
    return out;
  }
}

/**
 * Trains `model` in place by DSM on `data` [n, ...shape]. Each step draws a batch, t ~ U[tMin, T] and
 * eps ~ N(0, I), takes the gradient of the loss, clips it to `clipNorm`, applies Adam and updates the EMA.
 * A NaN or infinite loss throws and leaves the weights of the last step with a finite loss. The Adam state is
 * fresh on every call. After training with an EMA the model scores with the EMA weights (`useEma`).
 * @example
 * const model = mlpScoreNet(vpSDE(), [2], new Rng(0));
 * const { history } = await trainScore(model, data, { steps: 2000, rng: new Rng(1), batchSize: 256 });
 */
export async function trainScore(model: ScoreNet, data: tf.Tensor, opts: TrainOptions): Promise<TrainResult> {
  const o = validate(model, data, opts);
  const { rng } = opts;
  const sde = model.sde;
  const vars = model.variables;
  const keepEma = o.ema > 0;
  if (keepEma && !model.ema) model.resetEma();
  // On wasm with the OpenBLAS addon, clipping, Adam and the EMA are one kernel per step (src/tensor/fused-adam.ts);
  // elsewhere the same arithmetic runs as tfjs ops.
  const fused = fusedAdamAvailable() && vars.every((v) => v.dtype === "float32") ? new FusedAdam(vars, { lr: o.lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) : null;
  const optimizer = fused ? null : tf.train.adam(o.lr, 0.9, 0.999, 1e-8);
  const rowShape = data.shape.slice(1);
  const batches = new BatchIndex(data.shape[0], rng);
  const history: number[] = [];
  let snapshot: tf.Tensor[] = [];
  const started = performance.now();
  let step = 0;
  let stopped = false;
  try {
    for (; step < o.steps; step++) {
      if (opts.signal?.aborted) { stopped = true; break; }
      const read = tf.tidy(() => {
        const idx = tf.tensor1d(batches.next(o.batchSize), "int32");
        const x0 = tf.gather(data, idx);
        const t = rng.uniform([o.batchSize], o.tMin, sde.T);
        const eps = rng.normal([o.batchSize, ...rowShape]);
        const { value, grads } = tf.variableGrads(() => dsmLoss(model, x0, t, eps, o.weighting), vars);
        const ordered = vars.map((v) => grads[v.name]);
        if (fused) {
          const loss = value.dataSync()[0];
          const norm = fused.globalNorm(ordered);
          const ok = Number.isFinite(loss) && Number.isFinite(norm);
          if (ok) {
            tf.dispose(snapshot);
            snapshot = vars.map((v) => tf.keep(tf.clone(v)));
            // The factor of clipByGlobalNorm (clip.ts): 1e-6 keeps it finite for an all-zero gradient.
            const factor = o.clipNorm === Infinity ? 1 : Math.min(1, o.clipNorm / (norm + 1e-6));
            fused.apply(ordered, factor, keepEma && model.ema ? { vars: model.ema, decay: emaDecayAt(o.ema, step) } : undefined);
          }
          return { loss, norm, ok, emaDone: true };
        }
        const clipped = clipByGlobalNorm(ordered, o.clipNorm);
        const finite = tf.all(tf.isFinite(tf.stack([value, clipped.norm])));
        // Reading loss and norm is one small sync per step; it is what lets a NaN stop before it is applied.
        const [loss, norm, ok] = tf.concat([tf.stack([value, clipped.norm]), tf.cast(tf.reshape(finite, [1]), "float32")]).dataSync();
        if (ok) {
          // The weights just gave a finite loss: they are the ones to restore if a later step diverges.
          tf.dispose(snapshot);
          snapshot = vars.map((v) => tf.keep(tf.clone(v)));
          optimizer!.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: clipped.grads[i] })));
        }
        return { loss, norm, ok, emaDone: false };
      });
      if (!read.ok || !Number.isFinite(read.loss)) {
        if (snapshot.length) vars.forEach((v, i) => v.assign(snapshot[i]));
        throw new Error(`trainScore: the loss became ${read.loss} (gradient norm ${read.norm}) at step ${step + 1}; training stopped and the weights were restored to the last ones with a finite loss (try a smaller opts.lr, currently ${o.lr}, or opts.clipNorm)`);
      }
      history.push(read.loss);
      if (keepEma && model.ema && !read.emaDone) updateEma(model.ema, vars, emaDecayAt(o.ema, step));
      if (opts.onStep && ((step + 1) % o.every === 0 || step + 1 === o.steps)) {
        opts.onStep({ step: step + 1, total: o.steps, loss: read.loss, gradNorm: read.norm });
      }
      if ((step + 1) % o.yieldEvery === 0) await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    tf.dispose(snapshot);
    optimizer?.dispose();
    fused?.dispose();
  }
  if (keepEma) model.useEma = opts.useEma ?? true;
  else if (opts.useEma !== undefined) model.useEma = opts.useEma && !!model.ema;
  return { model, history, steps: step, stopped, seconds: (performance.now() - started) / 1000 };
}

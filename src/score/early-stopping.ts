/**
 * DSM training with early stopping on a validation split: what a baseline needs (a fixed step count with no
 * validation favours whichever method it happens to suit), and what a study needs to say a network converged. DSM training (Song et al. 2021, eq. 7) runs as one trainScore call;
 * every `evalEvery` steps the DSM loss on the validation images, with noise drawn once, is compared with the best so
 * far; the best weights are kept and restored, and training stops after `patience` evaluations without improvement.
 * The validation loss uses the likelihood weighting lambda(t) = g(t)^2, under which the DSM loss bounds the negative
 * log-likelihood (Song, Durkan, Murray & Ermon 2021, Thm. 1): the studies judge bits/dim, and the default
 * eps weighting, which stresses large t, kept improving while held-out bits/dim got worse.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkLongWork, checkNumber, checkTensor, fail, type LongWorkOptions } from "../tensor";
import { ScoreNet } from "./score-net";
import { dsmLoss } from "./dsm-loss";
import { trainScore } from "./train";

/** Defaults of the stopping rule: a validation loss every 50 steps, stop after 4 without improvement. */
export const EVAL_EVERY = 50;
export const PATIENCE = 4;

/**
 * Long-work options (src/tensor/long-work.ts): onStep is called at each validation (every `evalEvery` steps and
 * after the last), with `step` counting optimiser steps up to `total` = maxSteps; a run stopped by patience ends
 * before `total`. On an abort through `signal` it returns with `stopped: true` and the best weights so far.
 */
export interface EarlyStoppingOptions extends LongWorkOptions {
  /** Most optimiser steps. */
  maxSteps: number;
  rng: Rng;
  /** Steps between validation losses (default 50). */
  evalEvery?: number;
  /** Validation losses without improvement before stopping (default 4). */
  patience?: number;
  /** Noise draws (t, eps) per validation image (default 32), fixed for the whole run. */
  valDraws?: number;
  batchSize?: number;
  lr?: number;
  /** EMA decay (default 0.99); the validation loss and the kept weights are the EMA's (what the model scores with). */
  ema?: number;
}

export interface EarlyStoppingResult {
  /** Step of the kept weights (0: the starting weights were best). */
  bestStep: number;
  bestLoss: number;
  /** Optimiser steps run. */
  steps: number;
  /** Whether the caller's signal ended training (the contract's flag; stoppedBy says "signal" then too). */
  stopped: boolean;
  /** Validation loss at each evaluation, starting with step 0. */
  valHistory: { step: number; loss: number }[];
  /**
   * Why training ended: "patience" (`patience` evaluations without improvement: the validation loss had stopped
   * falling), "cap" (maxSteps reached while it may still have been falling) or "signal" (the caller aborted).
   */
  stoppedBy: "patience" | "cap" | "signal";
  /**
   * How far the best validation loss still fell over the last `patience` evaluations, relative to it: 0 when stopped
   * by patience; for a run stopped at its cap, how much it was still moving (the convergence evidence a reader needs).
   */
  tailDrop: number;
}

/**
 * Trains `model` in place on `train` and leaves it with the weights of lowest validation DSM loss.
 * @example const r = await trainEarlyStopped(net, xTrain, xVal, { maxSteps: 1000, rng: new Rng(1) }); r.bestStep
 */
export async function trainEarlyStopped(model: ScoreNet, train: tf.Tensor, val: tf.Tensor, opts: EarlyStoppingOptions): Promise<EarlyStoppingResult> {
  const fn = "trainEarlyStopped";
  if (!(model instanceof ScoreNet)) fail(fn, "model", "must be a ScoreNet");
  checkTensor(val, "val", fn);
  if (val.rank < 2 || val.shape[0] < 1 || val.size / val.shape[0] !== model.net.inputSize) fail(fn, "val", `must have shape [m >= 1, ${model.shape}], got [${val.shape}]`);
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  checkLongWork(opts, fn);
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const maxSteps = checkNumber(opts.maxSteps, "opts.maxSteps", fn, { integer: true, min: 1 });
  const evalEvery = checkNumber(opts.evalEvery ?? EVAL_EVERY, "opts.evalEvery", fn, { integer: true, min: 1 });
  const patience = checkNumber(opts.patience ?? PATIENCE, "opts.patience", fn, { integer: true, min: 1 });
  const draws = checkNumber(opts.valDraws ?? 32, "opts.valDraws", fn, { integer: true, min: 1 });
  const ema = checkNumber(opts.ema ?? 0.99, "opts.ema", fn, { min: 0, lt: 1 });
  const which = ema > 0 ? "ema" : "raw";
  if (ema > 0) model.resetEma();

  const noise = opts.rng.split();
  const m = val.shape[0] * draws;
  const x0 = tf.tidy(() => tf.tile(val, [draws, ...val.shape.slice(1).map(() => 1)]));
  const t = noise.uniform([m], model.sde.tMin, model.sde.T);
  const eps = noise.normal([m, ...val.shape.slice(1)]);
  const valLoss = () => { const l = dsmLoss(model, x0, t, eps, "likelihood", which); const v = l.dataSync()[0]; l.dispose(); return v; };
  const kept = () => model.weights(which).map((w) => tf.keep(tf.clone(w)));

  let best = { step: 0, loss: valLoss(), weights: kept() };
  const valHistory = [{ step: 0, loss: best.loss }];
  let since = 0;
  const enough = new AbortController();
  // The caller's abort also stops training (trainScore takes one signal).
  const forward = () => enough.abort();
  if (opts.signal?.aborted) forward();
  opts.signal?.addEventListener("abort", forward, { once: true });
  const signal = enough.signal;
  try {
    const r = await trainScore(model, train, {
      steps: maxSteps, rng: opts.rng, batchSize: Math.min(opts.batchSize ?? 128, train.shape[0]), lr: opts.lr, ema, every: evalEvery, signal,
      onStep: (p) => {
        opts.onStep?.(p);
        const loss = valLoss();
        valHistory.push({ step: p.step, loss });
        if (loss < best.loss) {
          tf.dispose(best.weights);
          best = { step: p.step, loss, weights: kept() };
          since = 0;
        } else if (++since >= patience) enough.abort();
      },
    });
    const target = model.weights(which) as tf.Variable[];
    target.forEach((v, i) => v.assign(best.weights[i]));
    if (ema > 0) model.variables.forEach((v, i) => v.assign(best.weights[i]));
    const stoppedBy = opts.signal?.aborted ? "signal" : enough.signal.aborted ? "patience" : "cap";
    return { bestStep: best.step, bestLoss: best.loss, steps: r.steps, stopped: stoppedBy === "signal", valHistory, stoppedBy, tailDrop: tailDrop(valHistory, patience) };
  } finally {
    opts.signal?.removeEventListener("abort", forward);
    tf.dispose([x0, t, eps, ...best.weights]);
  }
}

/** Relative fall of the running best validation loss over the last `patience` evaluations (0 if it did not fall). */
export function tailDrop(history: { loss: number }[], patience: number): number {
  const bestUpTo = (k: number) => Math.min(...history.slice(0, k + 1).map((h) => h.loss));
  const last = history.length - 1;
  const before = bestUpTo(Math.max(0, last - patience));
  const now = bestUpTo(last);
  return before > now ? (before - now) / Math.abs(before) : 0;
}

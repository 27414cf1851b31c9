/**
 * The generalization gap of a score model: its denoising score matching loss on the training set against the
 * loss on held-out data, per noise level. The empirical optimum drives the training loss to its floor and the
 * held-out loss up at small t, where it copies (Yi, Sun, Li 2023, Sec. 3); a trained network's gap shows how far
 * it went in that direction.
 *
 * The loss per bin is the DSM loss with lambda(t) = s(t)^2 (Song et al. 2021, eq. 7; Ho et al.'s noise
 * prediction loss): E || s(t) score(a x0 + s eps, t) + eps ||^2 / d, so 1 for a zero score and its floor (the
 * conditional variance of eps given x_t, per coordinate) is below 1.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkPositiveInt, checkTensor, checkFiniteTensor, fail, type Progress } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";

export interface LossByNoiseOptions {
  rng: Rng;
  /** Equal-width bins of t over [tMin, T] (default 10). */
  bins?: number;
  /** Noise draws per data row and bin (default 1). */
  repeats?: number;
  /** Lower end of the first bin (default the SDE's tMin). */
  tMin?: number;
  /** Rows per evaluation batch (default 4096). */
  batch?: number;
}

export interface LossByNoise {
  /** Bin edges, bins + 1 values. */
  edges: number[];
  /** Bin centres. */
  t: number[];
  /** Mean loss per bin (per coordinate). */
  loss: number[];
  /** Mean over bins (a Monte Carlo estimate of the DSM loss with t ~ U[tMin, T]). */
  mean: number;
}

function scoreFnOf(model: unknown, fn: string): ScoreFn {
  if (typeof model === "function") return model as ScoreFn;
  if (model && typeof (model as { score?: unknown }).score === "function") return (model as { score: ScoreFn }).score;
  fail(fn, "model", "must be a ScoreFn or a model with a score function");
}

/**
 * DSM loss of `model` (a ScoreFn or anything with `.score`) on `data` [n, ...], per bin of t.
 * @example const r = dsmLossByNoise(model, sde, train, { bins: 8, rng: new Rng(0) }); // r.t, r.loss
 */
export function dsmLossByNoise(model: ScoreFn | { score: ScoreFn }, sde: SDE, data: tf.Tensor, opts: LossByNoiseOptions): LossByNoise {
  const fn = "dsmLossByNoise";
  const score = scoreFnOf(model, fn);
  if (!sde || typeof sde.marginal !== "function") fail(fn, "sde", "must be an SDE");
  checkTensor(data, "data", fn);
  if (data.rank < 2 || data.shape[0] < 1) fail(fn, "data", `must have shape [n, ...] with n >= 1, got [${data.shape}]`);
  checkFiniteTensor(data, "data", fn);
  if (!opts || !(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const bins = checkPositiveInt(opts.bins ?? 10, "opts.bins", fn);
  const repeats = checkPositiveInt(opts.repeats ?? 1, "opts.repeats", fn);
  const batch = checkPositiveInt(opts.batch ?? 4096, "opts.batch", fn);
  const tMin = checkNumber(opts.tMin ?? sde.tMin, "opts.tMin", fn, { gt: 0, lt: sde.T });
  const n = data.shape[0];
  const rowShape = data.shape.slice(1);
  const d = rowShape.reduce((a, b) => a * b, 1);
  const edges = Array.from({ length: bins + 1 }, (_, i) => tMin + ((sde.T - tMin) * i) / bins);
  // Repeats are rows of one tiled copy of the data, so a small set costs one batch per bin, not one per repeat.
  const rows = n * repeats;
  const tiled = repeats > 1 ? tf.tile(data, [repeats, ...rowShape.map(() => 1)]) : data;
  const loss: number[] = [];
  try {
    for (let b = 0; b < bins; b++) {
      let sum = 0;
      for (let start = 0; start < rows; start += batch) {
        const m = Math.min(batch, rows - start);
        sum += tf.tidy(() => {
          const x0 = tf.slice(tiled, [start, ...rowShape.map(() => 0)], [m, ...rowShape]);
          const t = opts.rng.uniform([m], edges[b], edges[b + 1]);
          const eps = opts.rng.normal([m, ...rowShape]);
          const { scale, std } = sde.marginal(t);
          const row = [m, ...rowShape.map(() => 1)];
          const s = tf.reshape(std, row);
          const xt = tf.add(tf.mul(x0, tf.reshape(scale, row)), tf.mul(eps, s));
          return tf.sum(tf.square(tf.add(tf.mul(score(xt, t), s), eps))).dataSync()[0];
        });
      }
      loss.push(sum / (rows * d));
    }
  } finally {
    if (tiled !== data) tiled.dispose();
  }
  return { edges, t: edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2), loss, mean: loss.reduce((a, b) => a + b, 0) / bins };
}

export interface DsmGap {
  t: number[];
  train: number[];
  test: number[];
  /** test - train per bin. */
  gap: number[];
  meanTrain: number;
  meanTest: number;
  meanGap: number;
}

/**
 * Train and held-out DSM loss per noise bin, and their difference (the generalization gap).
 * Both sets see the same bins; the noise draws differ (they are different rows).
 * @example const g = dsmGap(model, sde, train, test, { bins: 8, rng: new Rng(0) }); // g.gap per bin
 */
export function dsmGap(model: ScoreFn | { score: ScoreFn }, sde: SDE, train: tf.Tensor, test: tf.Tensor, opts: LossByNoiseOptions): DsmGap {
  const a = dsmLossByNoise(model, sde, train, opts);
  const b = dsmLossByNoise(model, sde, test, opts);
  const gap = b.loss.map((v, i) => v - a.loss[i]);
  return { t: a.t, train: a.loss, test: b.loss, gap, meanTrain: a.mean, meanTest: b.mean, meanGap: b.mean - a.mean };
}

/** One evaluation of a gap monitor. */
export interface GapRecord { step: number; meanTrain: number; meanTest: number; meanGap: number; t: number[]; train: number[]; test: number[] }

/**
 * A progress callback for trainScore's `onStep` that evaluates the DSM gap every `every` steps and keeps the
 * curve (`records`). The evaluation draws from its own Rng, so monitoring does not change the training stream.
 * @example
 * const mon = gapMonitor(model, sde, train, test, { every: 200, rng: new Rng(9), bins: 5 });
 * await trainScore(model, train, { steps: 2000, rng, onStep: mon.onStep });  mon.records // the gap curve
 */
export function gapMonitor(model: ScoreFn | { score: ScoreFn }, sde: SDE, train: tf.Tensor, test: tf.Tensor, opts: LossByNoiseOptions & { every?: number; then?: Progress }): { onStep: Progress; records: GapRecord[] } {
  const fn = "gapMonitor";
  scoreFnOf(model, fn);
  const every = checkPositiveInt(opts.every ?? 100, "opts.every", fn);
  const records: GapRecord[] = [];
  const onStep: Progress = (rec) => {
    if (rec.step % every === 0 || rec.step === rec.total) {
      const g = dsmGap(model, sde, train, test, opts);
      records.push({ step: rec.step, meanTrain: g.meanTrain, meanTest: g.meanTest, meanGap: g.meanGap, t: g.t, train: g.train, test: g.test });
    }
    opts.then?.(rec);
  };
  return { onStep, records };
}

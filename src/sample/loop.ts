/**
 * The loop every sampler shares: validation at the door, the time grid, per-row noise, progress, abort, yielding
 * to the event loop and memory. A sampler only supplies its step, x_{i+1} = step(x_i, t_i, t_{i+1}), run inside tf.tidy.
 *
 * Abort follows the long-work contract (src/tensor/long-work.ts): when opts.signal is aborted, the loop stops before
 * the next step, frees its tensors and throws an AbortError (half a reverse process is not a sample).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, Yielder, abortError, checkLongWork, checkNumber, checkSteps, checkTensorSize, fail } from "../tensor";
import { isSDE } from "../sde/sde";
import { noiseGrid, samplerGrid } from "./grids";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";

/** The states kept every `keepEvery` steps (first the prior sample), with their times, and the final sample. */
export interface SampleTrajectory { x: tf.Tensor; states: tf.Tensor[]; times: number[] }

/** A sampler: a plain function over a score function and an SDE. */
export type Sampler<O extends SamplerOptions = SamplerOptions> = (score: ScoreFn, sde: SDE, opts: O) => Promise<tf.Tensor | SampleTrajectory>;

/**
 * One step from t to tNext < t; `last` is true on the final step. Runs inside tf.tidy. Draw noise from `noise`
 * (one stream per row), so that sample i depends on the seed and i only, not on the batch size.
 */
export type StepFn = (x: tf.Tensor, t: number, tNext: number, last: boolean, noise: RowRng) => tf.Tensor;

/** Yield to the event loop every YIELD_STEPS steps or YIELD_MS milliseconds (a score call can be slow). */
const YIELD_STEPS = 8;
const YIELD_MS = 10;

/**
 * The uniform time grid T = t_0 > t_1 > ... > t_steps = tMin (noiseGrid's "uniform" rule).
 * @example timeGrid(vpSDE(), 4); // [1, 0.75025, 0.5005, 0.25075, 0.001]
 */
export function timeGrid(sde: SDE, steps: number): number[] {
  checkSDEArg(sde, "timeGrid");
  checkSteps(steps, "steps", "timeGrid");
  return noiseGrid(sde, steps, "uniform", "timeGrid");
}

export function checkSDEArg(sde: unknown, fn: string): SDE {
  if (!isSDE(sde)) fail(fn, "sde", "must be an SDE (from vpSDE, veSDE, subVpSDE or makeSDE)");
  return sde as SDE;
}

/** Validates the options every sampler takes. */
export function checkSamplerArgs(score: unknown, sde: unknown, opts: unknown, fn: string): void {
  if (typeof score !== "function") fail(fn, "score", "must be a score function (x, t) => tensor shaped like x");
  checkSDEArg(sde, fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object { n, steps, rng, shape, ... }");
  const o = opts as SamplerOptions;
  checkNumber(o.n, "opts.n", fn, { integer: true, min: 1 });
  checkSteps(o.steps, "opts.steps", fn);
  if (!(o.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  if (!Array.isArray(o.shape) || o.shape.length === 0 || o.shape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(fn, "opts.shape", `must be a non-empty array of positive integers (shape of one sample), got ${JSON.stringify(o.shape)}`);
  }
  // n * dim past ~4 GB silently corrupts the wasm heap: refuse it here, before the prior is drawn.
  checkTensorSize(o.n * (o.shape as number[]).reduce((p, d) => p * d, 1), "opts.n", fn);
  checkLongWork(o, fn);
  if (o.keepEvery !== undefined) checkNumber(o.keepEvery, "opts.keepEvery", fn, { integer: true, min: 1 });
  if (o.grid !== undefined) samplerGrid(sde as SDE, o, fn);
}

/** Calls the score with one time for all rows and checks that it answers in x's shape. */
export function scoreAt(score: ScoreFn, x: tf.Tensor, t: number, fn: string): tf.Tensor {
  const s = score(x, tf.fill([x.shape[0]], t));
  if (!(s instanceof tf.Tensor) || s.shape.length !== x.shape.length || s.shape.some((v, i) => v !== x.shape[i])) {
    fail(fn, "score", `must return a tensor shaped like x [${x.shape}], got ${s instanceof tf.Tensor ? `[${s.shape}]` : typeof s}`);
  }
  return s;
}

/** Runs the sampler loop from the prior sample; returns the sample or, with keepEvery, the trajectory. */
export async function runSampler(fn: string, sde: SDE, opts: SamplerOptions, step: StepFn): Promise<tf.Tensor | SampleTrajectory> {
  const ts = samplerGrid(sde, opts, fn);
  const total = opts.steps;
  // Per-row streams (split off opts.rng, which advances once): the prior row and every step's noise of sample i
  // come from stream i.
  const noise = RowRng.from(opts.rng, opts.n);
  let x = sde.prior(opts.n, opts.shape, noise);
  const states: tf.Tensor[] = [];
  const times: number[] = [];
  const keep = opts.keepEvery;
  if (keep) { states.push(tf.clone(x)); times.push(ts[0]); }
  const yielder = new Yielder(YIELD_STEPS, YIELD_MS);
  try {
    for (let i = 0; i < total; i++) {
      if (opts.signal?.aborted) throw abortError(fn, i, total);
      const xi = x;
      const next = tf.tidy(() => step(xi, ts[i], ts[i + 1], i === total - 1, noise));
      tf.dispose(xi);
      x = next;
      if (keep && (i + 1) % keep === 0) { states.push(tf.clone(x)); times.push(ts[i + 1]); }
      opts.onStep?.({ step: i + 1, total, t: ts[i + 1] });
      await yielder.tick();
    }
  } catch (e) {
    tf.dispose([x, ...states]);
    throw e;
  }
  return keep ? { x, states, times } : x;
}

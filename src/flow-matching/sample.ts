/**
 * Sampling by integrating the flow-matching ODE dx/dt = v(x, t) from the path's end law at T down to tMin on the
 * uniform grid, with Euler, Heun (Karras et al. 2022, Algorithm 1) or classical RK4: 1, 2 or 4 velocity calls a
 * step. Follows the long-work contract (src/tensor/long-work.ts): an abort frees the state and throws an AbortError.
 * For an SDE path, scoreFromVelocity(v, path) on path.sde drives every score sampler of src/sample as well.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, Yielder, abortError, checkLongWork, checkNumber, checkSteps, checkTensorSize, fail, type LongWorkOptions } from "../tensor";
import type { SampleTrajectory } from "../sample";
import type { VelocityFn } from "./convert";
import { checkPath, type ProbabilityPath } from "./path";

export type FlowMethod = "euler" | "heun" | "rk4";

export interface FlowSampleOptions extends LongWorkOptions {
  n: number;
  steps: number;
  rng: Rng;
  /** Shape of one sample. */
  shape: number[];
  /** Integrator (default "heun"). */
  method?: FlowMethod;
  /** Return the trajectory every `keepEvery` steps (first the prior sample). */
  keepEvery?: number;
}

/** Calls v with one time for all rows and checks that it answers in x's shape. */
function velocityAt(v: VelocityFn, x: tf.Tensor, t: number, fn: string): tf.Tensor {
  const out = v(x, tf.fill([x.shape[0]], t));
  if (!(out instanceof tf.Tensor) || out.shape.length !== x.shape.length || out.shape.some((d, i) => d !== x.shape[i])) {
    fail(fn, "velocity", `must return a tensor shaped like x [${x.shape}], got ${out instanceof tf.Tensor ? `[${out.shape}]` : typeof out}`);
  }
  return out;
}

/** One step of `method` from t to t + h (h < 0 going down), inside tf.tidy. */
function odeStep(v: VelocityFn, x: tf.Tensor, t: number, h: number, method: FlowMethod, fn: string): tf.Tensor {
  const f = (y: tf.Tensor, s: number) => velocityAt(v, y, s, fn);
  const k1 = f(x, t);
  if (method === "euler") return tf.add(x, tf.mul(k1, h));
  if (method === "heun") return tf.add(x, tf.mul(tf.add(k1, f(tf.add(x, tf.mul(k1, h)), t + h)), h / 2));
  const k2 = f(tf.add(x, tf.mul(k1, h / 2)), t + h / 2);
  const k3 = f(tf.add(x, tf.mul(k2, h / 2)), t + h / 2);
  const k4 = f(tf.add(x, tf.mul(k3, h)), t + h);
  return tf.add(x, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6));
}

/**
 * Samples of the model `velocity` on `path`: prior draws at T (row i from stream i of opts.rng, so sample i
 * does not depend on the batch size) pushed to tMin by the ODE. Returns the sample, or with keepEvery the trajectory.
 * @example const x = await sampleFlow(model.velocity, model.path, { n: 512, steps: 50, rng: new Rng(0), shape: [2] });
 */
export async function sampleFlow(velocity: VelocityFn, path: ProbabilityPath, opts: FlowSampleOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "sampleFlow";
  if (typeof velocity !== "function") fail(fn, "velocity", "must be a velocity function (x, t) => tensor shaped like x");
  checkPath(path, fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object { n, steps, rng, shape, ... }");
  const n = checkNumber(opts.n, "opts.n", fn, { integer: true, min: 1 });
  const steps = checkSteps(opts.steps, "opts.steps", fn);
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const shape = opts.shape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(fn, "opts.shape", `must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
  checkTensorSize(n * shape.reduce((p, d) => p * d, 1), "opts.n", fn);
  const method = opts.method ?? "heun";
  if (method !== "euler" && method !== "heun" && method !== "rk4") fail(fn, "opts.method", `must be "euler", "heun" or "rk4", got ${JSON.stringify(method)}`);
  const keep = opts.keepEvery === undefined ? 0 : checkNumber(opts.keepEvery, "opts.keepEvery", fn, { integer: true, min: 1 });
  checkLongWork(opts, fn);
  const h = (path.tMin - path.T) / steps;
  let x = path.prior(n, shape, RowRng.from(opts.rng, n));
  const states: tf.Tensor[] = keep ? [tf.clone(x)] : [];
  const times: number[] = keep ? [path.T] : [];
  const yielder = new Yielder(8, 10);
  try {
    for (let i = 0; i < steps; i++) {
      if (opts.signal?.aborted) throw abortError(fn, i, steps);
      const t = path.T + i * h;
      const xi = x;
      x = tf.tidy(() => odeStep(velocity, xi, t, h, method, fn));
      tf.dispose(xi);
      const tNext = i === steps - 1 ? path.tMin : t + h;
      if (keep && (i + 1) % keep === 0) { states.push(tf.clone(x)); times.push(tNext); }
      opts.onStep?.({ step: i + 1, total: steps, t: tNext });
      await yielder.tick();
    }
  } catch (e) {
    tf.dispose([x, ...states]);
    throw e;
  }
  return keep ? { x, states, times } : x;
}

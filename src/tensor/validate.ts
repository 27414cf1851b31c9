/**
 * Input validation shared by every public function. Errors name the function and the argument and say what was
 * expected, in the style of tfjs ("Argument 'x' passed to 'sample' must be ...").
 */
import * as tf from "@tensorflow/tfjs";

/** Throws `fn: argument 'name' <problem>`. */
export function fail(fn: string, name: string, problem: string): never {
  throw new Error(`${fn}: argument '${name}' ${problem}`);
}

export function checkTensor(x: unknown, name: string, fn: string): tf.Tensor {
  if (!(x instanceof tf.Tensor)) fail(fn, name, `must be a tf.Tensor, got ${x === null ? "null" : typeof x}`);
  if ((x as tf.Tensor).isDisposed) fail(fn, name, "is a disposed tensor");
  return x as tf.Tensor;
}

export function checkRank(x: tf.Tensor, rank: number | number[], name: string, fn: string): void {
  const ok = Array.isArray(rank) ? rank.includes(x.rank) : x.rank === rank;
  if (!ok) fail(fn, name, `must have rank ${Array.isArray(rank) ? rank.join(" or ") : rank}, got shape [${x.shape}]`);
}

/** Throws if any element is NaN or infinite (reads the tensor back: use at the door, not in inner loops). */
export function checkFiniteTensor(x: tf.Tensor, name: string, fn: string): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(x)).any().dataSync()[0]);
  if (bad) fail(fn, name, `contains NaN or Infinity (shape [${x.shape}])`);
}

export function checkNumber(v: unknown, name: string, fn: string, opts: { min?: number; max?: number; gt?: number; lt?: number; integer?: boolean } = {}): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, name, `must be a finite number, got ${String(v)}`);
  const n = v as number;
  if (opts.integer && !Number.isInteger(n)) fail(fn, name, `must be an integer, got ${n}`);
  if (opts.min !== undefined && n < opts.min) fail(fn, name, `must be >= ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) fail(fn, name, `must be <= ${opts.max}, got ${n}`);
  if (opts.gt !== undefined && !(n > opts.gt)) fail(fn, name, `must be > ${opts.gt}, got ${n}`);
  if (opts.lt !== undefined && !(n < opts.lt)) fail(fn, name, `must be < ${opts.lt}, got ${n}`);
  return n;
}

export function checkPositiveInt(v: unknown, name: string, fn: string): number {
  return checkNumber(v, name, fn, { integer: true, min: 1 });
}

/** Most steps a sampler, likelihood, bound or flow accepts: a grid of 1e12 steps grows a JS array until V8 aborts
 * the process uncatchably, and 1e6 steps already take hours on this backend. */
export const MAX_STEPS = 1_000_000;

/**
 * Checks a step or iteration count: an integer from 1 to MAX_STEPS.
 * @example checkSteps(opts.steps, "opts.steps", "eulerMaruyama"); // 1e12 throws "... must be <= 1000000 ..."
 */
export function checkSteps(v: unknown, name: string, fn: string): number {
  const n = checkNumber(v, name, fn, { integer: true, min: 1 });
  if (n > MAX_STEPS) fail(fn, name, `must be <= ${MAX_STEPS} (more steps exhaust memory and take hours), got ${n}`);
  return n;
}

/** Most elements one tensor from a public function may hold: 2^28 float32 = 1 GiB. Past ~4 GB the wasm heap
 * silently wraps and corrupts later results (tf.fill([6e8], 1) breaks later sums). */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

/**
 * Checks that a tensor of `size` elements (size may be a product of user counts) stays under `max` elements.
 * @example checkTensorSize(n * dim, "opts.n", "eulerMaruyama"); // 1e6 x 1e6 throws
 */
export function checkTensorSize(size: number, name: string, fn: string, max = MAX_TENSOR_ELEMENTS, what = "elements"): void {
  if (!(size <= max)) fail(fn, name, `gives ${size} ${what}, more than the limit ${max} (2^${Math.log2(max)}) for one tensor on this backend`);
}

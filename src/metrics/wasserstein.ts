/**
 * One-dimensional Wasserstein distances between empirical laws (through quantile functions) and the sliced
 * Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015): the average over random directions of the 1-D
 * distance between projections.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, fail, checkPositiveInt, checkNumber } from "../tensor";
import { checkSamplePair } from "./pairwise";

/** W_p^p between two sorted 1-D samples, exact: integrates |F^-1(u) - G^-1(u)|^p over the merged quantile breakpoints. */
function sortedWpp(a: ArrayLike<number>, b: ArrayLike<number>, p: number): number {
  const n = a.length, m = b.length;
  let i = 0, j = 0, u = 0, s = 0;
  while (i < n && j < m) {
    const ui = (i + 1) / n, uj = (j + 1) / m;
    const next = Math.min(ui, uj);
    s += (next - u) * Math.abs(a[i] - b[j]) ** p;
    u = next;
    if (ui <= next + 1e-15) i++;
    if (uj <= next + 1e-15) j++;
  }
  return s;
}

/**
 * Exact W_p between two 1-D samples (any sizes).
 * @example w1([0, 1], [1, 2]) // 1
 */
export function wassersteinP1D(x: ArrayLike<number>, y: ArrayLike<number>, p = 1): number {
  const fn = "wassersteinP1D";
  for (const [v, name] of [[x, "x"], [y, "y"]] as const) {
    if (!v || typeof v.length !== "number" || v.length === 0) fail(fn, name, "must be a non-empty array of numbers");
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) fail(fn, name, `must hold finite numbers (entry ${i} is ${v[i]})`);
  }
  checkNumber(p, "p", fn, { min: 1 });
  const a = Float64Array.from(x).sort(), b = Float64Array.from(y).sort();
  return sortedWpp(a, b, p) ** (1 / p);
}

/** W1 between two 1-D samples. @example w1([0, 1], [1, 2]) // 1 */
export function w1(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return wassersteinP1D(x, y, 1);
}

export interface SlicedOptions { projections?: number; p?: number; rng: Rng }

/**
 * Sliced W_p between samples x [n, d], y [m, d]: (mean over random unit directions of W_p^p of the projections)^(1/p).
 * @example slicedWasserstein(x, y, { rng: new Rng(0), projections: 64 })
 */
export function slicedWasserstein(x: tf.Tensor2D, y: tf.Tensor2D, opts: SlicedOptions): number {
  const fn = "slicedWasserstein";
  const [a, b] = checkSamplePair(x, y, fn);
  if (!opts || !(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng (the random directions are seeded)");
  const P = checkPositiveInt(opts.projections ?? 64, "projections", fn);
  const p = checkNumber(opts.p ?? 2, "p", fn, { min: 1 });
  const d = a.shape[1];
  const dirs = tf.tidy(() => {
    const g = opts.rng.normal([d, P]);
    return tf.div(g, tf.norm(g, 2, 0, true));
  });
  const [pa, pb] = tf.tidy(() => [tf.transpose(tf.matMul(a, dirs)), tf.transpose(tf.matMul(b, dirs))]);
  const va = pa.dataSync(), vb = pb.dataSync();
  tf.dispose([dirs, pa, pb]);
  const n = a.shape[0], m = b.shape[0];
  let s = 0;
  for (let k = 0; k < P; k++) {
    const ca = Float64Array.from(va.subarray(k * n, (k + 1) * n)).sort();
    const cb = Float64Array.from(vb.subarray(k * m, (k + 1) * m)).sort();
    s += sortedWpp(ca, cb, p);
  }
  return (s / P) ** (1 / p);
}

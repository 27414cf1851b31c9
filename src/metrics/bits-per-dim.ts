/**
 * Bits per dimension of discrete images under a continuous model, with uniform dequantization (Theis, van den Oord,
 * Bethge 2016, Sec. 3.1; as used for score models by Song et al. 2021, Sec. 4.3): pixels k in {0, ..., K-1} become
 * y = lo + (hi - lo)(k + u) / K with u ~ U[0, 1)^d, and since the discrete mass of k is at least
 * E_u[p_y(y)] (hi - lo)^d / K^d (Jensen), bits/dim = -log p_y(y) / (d ln 2) + log2 K - log2(hi - lo) is an upper
 * bound on the discrete model's code length. The density log p_y comes from the probability-flow ODE
 * (src/sample/likelihood.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkLongWork, checkNumber, checkTensor, checkFiniteTensor, fail } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";
import { logLikelihood, type LikelihoodOptions } from "../sample/likelihood";

export interface DequantizeOptions {
  /** Number of pixel levels K (default 256). */
  levels?: number;
  /** The model's pixel range [lo, hi] (default [-1, 1], loadDataset's "symmetric" scale). */
  range?: [number, number];
}

function checkDequant(opts: DequantizeOptions, fn: string): { levels: number; lo: number; hi: number } {
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const levels = checkNumber(opts.levels ?? 256, "opts.levels", fn, { integer: true, min: 2 });
  const range = opts.range ?? [-1, 1];
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[1] > range[0])) fail(fn, "opts.range", `must be [lo, hi] with lo < hi, got ${JSON.stringify(range)}`);
  return { levels, lo: range[0], hi: range[1] };
}

/**
 * Uniformly dequantized images: integer pixels [n, ...] in {0, ..., levels-1} -> lo + (hi - lo)(k + u) / levels.
 * @example dequantize(tf.tensor2d([[0, 255]]), new Rng(0)) // values in [-1, -0.992) and [0.992, 1)
 */
export function dequantize(pixels: tf.Tensor, rng: Rng, opts: DequantizeOptions = {}): tf.Tensor {
  const fn = "dequantize";
  checkTensor(pixels, "pixels", fn);
  if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng (the dequantization noise is seeded)");
  const { levels, lo, hi } = checkDequant(opts, fn);
  checkFiniteTensor(pixels, "pixels", fn);
  const v = pixels.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0 || v[i] >= levels) fail(fn, "pixels", `must be integers in [0, ${levels - 1}] (raw pixel levels), got ${v[i]} at flat index ${i}`);
  }
  const u = rng.uniformArray(v.length);
  const out = new Float32Array(v.length);
  const w = (hi - lo) / levels;
  for (let i = 0; i < v.length; i++) out[i] = lo + w * (v[i] + u[i]);
  return tf.tensor(out, pixels.shape, "float32");
}

/**
 * Bits/dim of dequantized data from the model's log-density log p_y (nats) at the dequantized points, d values
 * per row: -logp / (d ln 2) + log2(levels) - log2(hi - lo).
 * @example dequantizedBitsPerDim([-2 * Math.LN2], 2) // uniform on [-1, 1]^2: 8 bits/dim
 */
export function dequantizedBitsPerDim(logp: ArrayLike<number>, d: number, opts: DequantizeOptions = {}): Float64Array {
  const fn = "dequantizedBitsPerDim";
  checkNumber(d, "d", fn, { integer: true, min: 1 });
  const { levels, lo, hi } = checkDequant(opts, fn);
  const offset = Math.log2(levels) - Math.log2(hi - lo);
  return Float64Array.from(logp, (l) => {
    if (typeof l !== "number" || Number.isNaN(l)) fail(fn, "logp", "must hold log-densities (numbers)");
    return -l / (d * Math.LN2) + offset;
  });
}

export interface ImageBitsOptions extends LikelihoodOptions, DequantizeOptions {
  /** Draws the dequantization noise (and Hutchinson probes); required. */
  rng: Rng;
}

export interface ImageBitsResult {
  bitsPerDim: Float64Array;
  meanBitsPerDim: number;
  /** Standard error of the mean over images. */
  stdError: number;
  n: number;
  levels: number;
  range: [number, number];
}

/**
 * Bits/dim of integer-valued images [n, ...] under a score model, through the probability-flow ODE on uniformly
 * dequantized pixels (Song et al. 2021, Sec. 4.3 and Table 2's "bits/dim"). LikelihoodOptions pass through.
 * @example const r = await imageBitsPerDim(model.score, sde, rawPixels, { rng: new Rng(0), steps: 100 });
 */
export async function imageBitsPerDim(score: ScoreFn, sde: SDE, pixels: tf.Tensor, opts: ImageBitsOptions): Promise<ImageBitsResult> {
  const fn = "imageBitsPerDim";
  if (!opts || !(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng (dequantization noise is seeded)");
  checkLongWork(opts, fn);
  const { levels, lo, hi } = checkDequant(opts, fn);
  const y = dequantize(pixels, opts.rng, { levels, range: [lo, hi] });
  try {
    const { logp } = await logLikelihood(score, sde, y, opts);
    const d = y.size / y.shape[0];
    const bits = dequantizedBitsPerDim(logp, d, { levels, range: [lo, hi] });
    const n = bits.length;
    const mean = bits.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(bits.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    return { bitsPerDim: bits, meanBitsPerDim: mean, stdError: sd / Math.sqrt(n), n, levels, range: [lo, hi] };
  } finally { y.dispose(); }
}

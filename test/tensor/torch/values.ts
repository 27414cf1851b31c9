/** Seeded inputs shared by the torch backend tests: plain JS numbers, so every backend gets the very same values. */
import * as tf from "@tensorflow/tfjs";

/** A seeded stream of uniforms in [lo, hi) (plain JS, so both backends get the very same numbers). */
export function values(n: number, seed: number, lo = -2, hi = 2): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(lo + ((s >>> 8) / 2 ** 24) * (hi - lo));
  }
  return out;
}
export const T = (shape: number[], seed: number, lo = -2, hi = 2): tf.Tensor => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);
export const I = (vals: number[] | number[][], shape?: number[]): tf.Tensor => tf.tensor(vals, shape, "int32");


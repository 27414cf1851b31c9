/** Shared pieces of the score tests: a 2-D target and a distance between samples. */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor";
import { GaussianMixture } from "../../src/data/gmm";

/** 8 equal Gaussians (std 0.15) on the circle of radius 1.5: per-coordinate std about 1.07, close to sigmaData = 1. */
export function ring8(): GaussianMixture {
  const means = Array.from({ length: 8 }, (_, k) => [1.5 * Math.cos((2 * Math.PI * k) / 8), 1.5 * Math.sin((2 * Math.PI * k) / 8)]);
  return new GaussianMixture({ weights: new Array(8).fill(1 / 8), means, covs: new Array(8).fill(0.15 ** 2) });
}

/**
 * Sliced 1-Wasserstein distance between two equal-size 2-D samples: the mean over `k` random directions of the
 * exact 1-D W1 between the projections (sorted matching).
 */
export function slicedW1(a: tf.Tensor, b: tf.Tensor, rng: Rng, k = 64): number {
  const xa = a.arraySync() as number[][]; const xb = b.arraySync() as number[][];
  let total = 0;
  for (let j = 0; j < k; j++) {
    const th = 2 * Math.PI * rng.next();
    const c = Math.cos(th), s = Math.sin(th);
    const pa = Float64Array.from(xa, (r) => c * r[0] + s * r[1]).sort();
    const pb = Float64Array.from(xb, (r) => c * r[0] + s * r[1]).sort();
    let d = 0; for (let i = 0; i < pa.length; i++) d += Math.abs(pa[i] - pb[i]);
    total += d / pa.length;
  }
  return total / k;
}

/**
 * Memorization metrics between generated samples and the training set.
 *
 * The copy criterion is the ratio of the distance to the nearest training point over the distance to the second
 * nearest: a sample far closer to one training point than to any other is counted as a copy of it. The threshold
 * 1/3 follows the memorization studies of diffusion models (Yoon, Choi, Kwon, Ryu, "Diffusion Probabilistic Models
 * Generalize When They Fail to Memorize", ICML 2023 workshop; used again by Gu et al., "On Memorization in
 * Diffusion Models", 2023) — cited from memory here, so treat 1/3 as a conventional choice, adjustable by
 * `ratioThreshold`.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../tensor";
import { median, nearestNeighbours } from "../metrics";

export interface MemorizationOptions {
  /** Count a sample as copied when nearest / second-nearest training distance is below this (default 1/3). */
  ratioThreshold?: number;
  /** Absolute distance for `fractionWithinEps` (default 1e-3). */
  eps?: number;
  /** Query rows per chunk of the neighbour search. */
  chunk?: number;
}

export interface MemorizationReport {
  /** Distance of each sample to its nearest training point. */
  nnDistance: Float64Array;
  /** Index of that training point. */
  nnIndex: Int32Array;
  /** Nearest over second-nearest training distance (1 when both are 0; needs >= 2 training points, else NaN). */
  ratio: Float64Array;
  /** Fraction of samples with ratio < ratioThreshold. */
  memorizationRate: number;
  /** Fraction of samples within eps of a training point. */
  fractionWithinEps: number;
  meanNN: number;
  medianNN: number;
  /** Distinct training points that some copied sample copies, over the training-set size. */
  copiedCoverage: number;
  ratioThreshold: number;
  eps: number;
}

/**
 * Nearest-neighbour distance and index, the nearest/second-nearest ratio, the memorization rate and the fraction
 * of samples within eps of a training point.
 * @example const r = memorization(samples, train); console.log(r.memorizationRate, r.meanNN);
 */
export function memorization(generated: tf.Tensor, train: tf.Tensor, opts: MemorizationOptions = {}): MemorizationReport {
  const fn = "memorization";
  const ratioThreshold = checkNumber(opts.ratioThreshold ?? 1 / 3, "ratioThreshold", fn, { gt: 0, max: 1 });
  const eps = checkNumber(opts.eps ?? 1e-3, "eps", fn, { min: 0 });
  const nTrain = train instanceof tf.Tensor ? train.shape[0] : 0;
  const k = Math.min(2, Math.max(1, nTrain));
  const nn = nearestNeighbours(generated, train, { k, chunk: opts.chunk });
  const m = nn.m;
  const nnDistance = new Float64Array(m); const nnIndex = new Int32Array(m); const ratio = new Float64Array(m);
  let copied = 0; let within = 0; let sum = 0;
  const copiedSet = new Set<number>();
  for (let i = 0; i < m; i++) {
    const d1 = nn.distance[i * k]; nnDistance[i] = d1; nnIndex[i] = nn.index[i * k]; sum += d1;
    if (k === 2) {
      const d2 = nn.distance[i * k + 1];
      ratio[i] = d2 === 0 ? 1 : d1 / d2;
    } else ratio[i] = NaN;
    if (ratio[i] < ratioThreshold) { copied++; copiedSet.add(nnIndex[i]); }
    if (d1 <= eps) within++;
  }
  const medianNN = median(nnDistance);
  return {
    nnDistance, nnIndex, ratio,
    memorizationRate: m ? copied / m : NaN,
    fractionWithinEps: m ? within / m : NaN,
    meanNN: m ? sum / m : NaN, medianNN,
    copiedCoverage: nTrain ? copiedSet.size / nTrain : NaN,
    ratioThreshold, eps,
  };
}

/**
 * Refining any generator by a density ratio (Husain, De Bortoli, Nock, arXiv 2603.18817): the refined law is
 * q(x) r(x) / E_q[r] with r = p/q = (f*)'(T_hat) read off a trained discriminator (see train-discriminator.ts).
 * Two ways to draw from it given a pool of base samples x_1..x_N ~ q:
 *   sampling-importance-resampling (Rubin 1988): resample x_i with probability w_i = r(x_i) / sum_j r(x_j);
 *   rejection sampling: accept x_i with probability r(x_i) / M, M an (estimated) bound on r.
 * Weights are handled in log space, so ratios of e^11 do not overflow.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkTensor, fail } from "../tensor";
import { LOGIT_CLIP } from "./discriminator";

export interface ImportanceWeights {
  /** Normalised weights (sum 1), finite and >= 0. */
  weights: Float64Array;
  /** Effective sample size (sum w)^2 / sum w^2, in [1, N]. */
  ess: number;
  /** ess / N. */
  essFraction: number;
  /** Largest normalised weight. */
  maxWeight: number;
  /** Fraction of log ratios at the clip bound +-LOGIT_CLIP (a saturated discriminator). */
  saturated: number;
  /** Plain-language warnings (low ESS, many saturated outputs). */
  warnings: string[];
}

function readLogRatio(logRatio: unknown, fn: string): Float64Array {
  let v: Float64Array;
  if (logRatio instanceof tf.Tensor) {
    if (logRatio.rank !== 1) fail(fn, "logRatio", `must be a rank-1 tensor [N], got shape [${logRatio.shape}]`);
    v = Float64Array.from(logRatio.dataSync());
  } else if (logRatio && typeof (logRatio as ArrayLike<number>).length === "number") {
    v = Float64Array.from(logRatio as ArrayLike<number>);
  } else {
    return fail(fn, "logRatio", "must be a tensor [N] or an array of log density ratios");
  }
  if (v.length === 0) fail(fn, "logRatio", "must not be empty");
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) fail(fn, "logRatio", `must be finite; entry ${i} is ${v[i]} (the discriminator diverged?)`);
  }
  return v;
}

/**
 * Normalised importance weights w_i = r_i / sum_j r_j from log ratios log r_i, with the effective sample size.
 * Throws when every log ratio sits at the clip bound: a discriminator that says d = 0 (or 1) on every sample
 * carries no ratio information, and its uniform-looking weights would be a silent lie.
 * @example const { weights, ess } = importanceWeights([0.1, -0.3, 1.2]);
 */
export function importanceWeights(logRatio: tf.Tensor1D | ArrayLike<number>): ImportanceWeights {
  const fn = "importanceWeights";
  const v = readLogRatio(logRatio, fn);
  const N = v.length;
  let sat = 0;
  for (const x of v) if (Math.abs(x) >= LOGIT_CLIP - 1e-3) sat++;
  const saturated = sat / N;
  if (N > 1 && sat === N) {
    fail(fn, "logRatio", `is degenerate: all ${N} log ratios sit at the clip bound +-${LOGIT_CLIP.toFixed(2)} (the discriminator outputs d = 0 or 1 everywhere); retrain it (fewer steps, smaller lr, more base samples) before refining`);
  }
  let m = -Infinity;
  for (const x of v) m = Math.max(m, x);
  const w = new Float64Array(N);
  let s = 0;
  for (let i = 0; i < N; i++) { w[i] = Math.exp(v[i] - m); s += w[i]; }
  let s2 = 0, maxW = 0;
  for (let i = 0; i < N; i++) { w[i] /= s; s2 += w[i] * w[i]; maxW = Math.max(maxW, w[i]); }
  const ess = 1 / s2;
  const warnings: string[] = [];
  if (saturated > 0.5) warnings.push(`importanceWeights: ${(100 * saturated).toFixed(0)}% of the log ratios sit at the clip bound: the discriminator is saturated; its ratios are unreliable`);
  if (N >= 10 && ess / N < 0.05) warnings.push(`importanceWeights: effective sample size ${ess.toFixed(1)} of ${N} (${(100 * ess / N).toFixed(1)}%): the refined law rests on few samples`);
  return { weights: w, ess, essFraction: ess / N, maxWeight: maxW, saturated, warnings };
}

function checkPool(samples: unknown, n: number, fn: string): tf.Tensor2D {
  const x = checkTensor(samples, "samples", fn);
  if (x.rank !== 2) fail(fn, "samples", `must be [N, d], got shape [${x.shape}]`);
  if (x.shape[0] !== n) fail(fn, "logRatio", `must have one entry per row of samples (${x.shape[0]}), got ${n}`);
  return x as tf.Tensor2D;
}

export interface SIRResult extends ImportanceWeights {
  /** The resampled points [n, d]. */
  x: tf.Tensor2D;
  /** Row indices into the pool. */
  indices: Int32Array;
}

/**
 * Sampling-importance-resampling: draws n points from the pool with probabilities w_i (systematic resampling,
 * which has lower variance than multinomial and the same expectation).
 * @example const { x, ess } = sampleImportanceResample(pool, logRatio, { n: 500, rng: new Rng(0) });
 */
export function sampleImportanceResample(samples: tf.Tensor2D, logRatio: tf.Tensor1D | ArrayLike<number>, opts: { n: number; rng: Rng }): SIRResult {
  const fn = "sampleImportanceResample";
  const v = readLogRatio(logRatio, fn);
  const pool = checkPool(samples, v.length, fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object {n, rng}");
  const n = checkNumber(opts.n, "opts.n", fn, { integer: true, min: 1 });
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const iw = importanceWeights(v);
  const indices = new Int32Array(n);
  const u0 = opts.rng.next() / n;
  let cum = iw.weights[0], j = 0;
  for (let i = 0; i < n; i++) {
    const u = u0 + i / n;
    while (u > cum && j < iw.weights.length - 1) { j++; cum += iw.weights[j]; }
    indices[i] = j;
  }
  // Systematic resampling keeps pool order; shuffle so that any prefix is a fair subsample.
  const perm = opts.rng.permutation(n);
  const shuffled = Int32Array.from(perm, (p) => indices[p]);
  const x = tf.tidy(() => tf.gather(pool, tf.tensor1d(shuffled, "int32")) as tf.Tensor2D);
  return { ...iw, x, indices: shuffled };
}

export interface RejectionResult {
  /** The accepted points [k, d]. */
  x: tf.Tensor2D;
  accepted: Int32Array;
  acceptanceRate: number;
  /** The bound M on r used (log M = max of the pool's log ratios unless given). */
  logM: number;
  /** Fraction of the pool whose ratio exceeds M (0 with the estimated bound on the same pool). */
  exceeded: number;
  warnings: string[];
}

/**
 * Rejection sampling from q r / E_q[r]: accept pool point i with probability min(1, r_i / M). Without
 * `opts.logM` the bound is estimated as the pool's largest ratio (so the refined law is exact only on the pool's
 * support; points above a given M are accepted with probability 1 and counted in `exceeded`).
 * @example const { x, acceptanceRate } = rejectionSample(pool, logRatio, { rng: new Rng(0) });
 */
export function rejectionSample(samples: tf.Tensor2D, logRatio: tf.Tensor1D | ArrayLike<number>, opts: { rng: Rng; logM?: number }): RejectionResult {
  const fn = "rejectionSample";
  const v = readLogRatio(logRatio, fn);
  const pool = checkPool(samples, v.length, fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object {rng, logM?}");
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng");
  const iw = importanceWeights(v); // same degeneracy checks and warnings as SIR
  let logM = -Infinity;
  for (const x of v) logM = Math.max(logM, x);
  if (opts.logM !== undefined) logM = checkNumber(opts.logM, "opts.logM", fn);
  const acc: number[] = [];
  let exceeded = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] > logM) exceeded++;
    if (Math.log(opts.rng.next()) < v[i] - logM) acc.push(i);
  }
  const accepted = Int32Array.from(acc);
  const warnings = [...iw.warnings];
  if (accepted.length === 0) warnings.push(`rejectionSample: no sample of ${v.length} was accepted (bound M = e^${logM.toFixed(2)}); use SIR or a larger pool`);
  if (exceeded > 0) warnings.push(`rejectionSample: ${exceeded} pool points have a ratio above M; the bound is too small and those points are under-represented`);
  const x = tf.tidy(() => (accepted.length ? tf.gather(pool, tf.tensor1d(accepted, "int32")) : tf.zeros([0, pool.shape[1]])) as tf.Tensor2D);
  return { x, accepted, acceptanceRate: accepted.length / v.length, logM, exceeded: exceeded / v.length, warnings };
}

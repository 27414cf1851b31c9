/**
 * Mutual information between generated data and the training set (Yi, Sun, Li, "On the Generalization of
 * Diffusion Model", arXiv 2305.14712: generalization is measured by I(generated; training set), low = no copying).
 *
 * What is estimated, precisely. Draw K independent training sets S_1..S_K from the data distribution, build a
 * generator on each (an empirical optimum, a trained network, ...) and generate samples G from each. Let L be the
 * index of the training set a sample came from, uniform over {1..K} when the draws give equal numbers. Then
 * I(G; L) is estimated; by data processing (L -> S_L -> G) it is a lower bound on the paper's I(G; S) for the
 * generator, and it cannot exceed H(L) = log K. Independent generators (same law whatever the training set) give
 * I(G; L) = 0; generators that copy their own, disjoint training sets give I = H(L) = log K.
 *
 * Estimator: the k-nearest-neighbour estimator for a discrete and a continuous variable of Ross (2014), "Mutual
 * Information between Discrete and Continuous Data Sets", PLoS ONE 9(2): e87357, a relative of the
 * Kraskov–Stögbauer–Grassberger estimator:
 *   I = psi(N) - <psi(N_L)> + psi(k) - <psi(m)>,
 * with N_L the number of samples that share sample i's label, d_i the distance from i to its k-th nearest
 * neighbour among them, and m_i the number of samples of any label within d_i of i (the k-th neighbour included),
 * averages over i. Bias: it is consistent, with a finite-sample bias that the tests measure on independent data
 * (close to 0, either sign, shrinking with N). On copies it is biased down, strongly when a training point is
 * copied fewer than k + 1 times: the k-th same-label neighbour is then another training point, as far as points
 * of other labels, and the copy carries no weight. With 200 copies of 50 points per label (4 per point) the tests
 * measure about 1.07 nats at k = 3 and close to log K at k = 1. Pairwise distances are exact (float64 in
 * JavaScript), O(N^2 d): intended for N up to a few thousand.
 *
 * Second estimator, `nearestSetMutualInformation`: a plug-in estimate of I(L; B) where B is the label of the
 * training set that holds the nearest point of the pooled training sets S_1 u ... u S_K. B is a function of G
 * (given the draws), so I(L; B) <= I(L; G) (data processing). It detects copying at any ratio of samples to
 * training points: a copy of S_L has B = L. The plug-in on a K x K table of N samples is biased up by about
 * (K - 1)^2 / (2N) nats (Miller 1955); `miMillerMadow` subtracts that term.
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, checkRank, checkNumber, checkFiniteTensor, fail } from "../tensor";
import { nearestNeighbours } from "../metrics";

export interface MutualInformationEstimate {
  /** Estimated I(G; L) in nats. */
  mi: number;
  /** H(L) in nats from the label frequencies: the largest value I(G; L) can take. */
  labelEntropy: number;
  /** Samples used (labels with a single sample are left out, as Ross does). */
  n: number;
  k: number;
}

/** psi(n) for integers n >= 1: -gamma + sum_{j<n} 1/j. */
function digammaTable(nMax: number): Float64Array {
  const psi = new Float64Array(nMax + 1);
  psi[1] = -0.5772156649015329;
  for (let n = 2; n <= nMax; n++) psi[n] = psi[n - 1] + 1 / (n - 1);
  return psi;
}

/**
 * Ross's k-NN estimate of the mutual information between continuous rows `x` and discrete `labels`.
 * @example const r = mixedMutualInformation(samples, labels, { k: 3 }); // r.mi in nats, at most r.labelEntropy
 */
export function mixedMutualInformation(x: tf.Tensor, labels: ArrayLike<number>, opts: { k?: number } = {}): MutualInformationEstimate {
  const fn = "mixedMutualInformation";
  checkTensor(x, "x", fn); checkRank(x, 2, "x", fn); checkFiniteTensor(x, "x", fn);
  const [nAll, d] = x.shape as [number, number];
  if (!labels || labels.length !== nAll) fail(fn, "labels", `must have one label per row of x (${nAll}), got ${labels ? labels.length : labels}`);
  const k = checkNumber(opts.k ?? 3, "k", fn, { integer: true, min: 1 });
  for (let i = 0; i < nAll; i++) if (!Number.isInteger(labels[i])) fail(fn, "labels", `must be integers, got ${labels[i]} at ${i}`);
  const counts = new Map<number, number>();
  for (let i = 0; i < nAll; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  // A label needs more than k samples for the k-th same-label neighbour to exist.
  const keep: number[] = [];
  for (let i = 0; i < nAll; i++) if ((counts.get(labels[i]) ?? 0) > k) keep.push(i);
  const n = keep.length;
  if (n === 0) fail(fn, "labels", `must give some label more than k = ${k} samples`);
  const vals = x.dataSync() as Float32Array;
  const psi = digammaTable(n);
  const lab = keep.map((i) => labels[i]);
  const cnt = new Map<number, number>();
  for (const l of lab) cnt.set(l, (cnt.get(l) ?? 0) + 1);
  const dist = new Float64Array(n); const same: number[] = [];
  let sumPsiNL = 0; let sumPsiM = 0;
  for (let a = 0; a < n; a++) {
    const ia = keep[a] * d;
    same.length = 0;
    for (let b = 0; b < n; b++) {
      const ib = keep[b] * d;
      let s = 0;
      for (let j = 0; j < d; j++) { const t = vals[ia + j] - vals[ib + j]; s += t * t; }
      dist[b] = s;
      if (b !== a && lab[b] === lab[a]) same.push(s);
    }
    same.sort((p, q) => p - q);
    const dk = same[k - 1];
    let m = 0;
    for (let b = 0; b < n; b++) if (b !== a && dist[b] <= dk) m++;
    sumPsiNL += psi[cnt.get(lab[a]) as number];
    sumPsiM += psi[m];
  }
  let labelEntropy = 0;
  for (const c of cnt.values()) { const p = c / n; labelEntropy -= p * Math.log(p); }
  const mi = psi[n] - sumPsiNL / n + psi[k] - sumPsiM / n;
  return { mi, labelEntropy, n, k };
}

/**
 * I(G; L) from samples generated on K independent training-set draws: `samples[j]` are the rows generated by the
 * model built on draw j.
 * @example const r = trainingSetMutualInformation([samplesFromSet0, samplesFromSet1], { k: 3 });
 */
export function trainingSetMutualInformation(samples: tf.Tensor[], opts: { k?: number } = {}): MutualInformationEstimate {
  const fn = "trainingSetMutualInformation";
  if (!Array.isArray(samples) || samples.length < 2) fail(fn, "samples", "must be an array of at least 2 tensors (one per training-set draw)");
  samples.forEach((s, j) => { checkTensor(s, `samples[${j}]`, fn); checkRank(s, 2, `samples[${j}]`, fn); });
  const d = samples[0].shape[1];
  samples.forEach((s, j) => { if (s.shape[1] !== d) fail(fn, `samples[${j}]`, `must have ${d} columns like samples[0], got [${s.shape}]`); });
  const labels: number[] = [];
  samples.forEach((s, j) => { for (let i = 0; i < s.shape[0]; i++) labels.push(j); });
  const all = tf.concat(samples, 0);
  try { return mixedMutualInformation(all, labels, opts); } finally { all.dispose(); }
}

export interface NearestSetEstimate {
  /** Plug-in I(L; B) in nats. */
  mi: number;
  /** The plug-in minus (K - 1)^2 / (2N) (Miller–Madow correction of the upward bias). */
  miMillerMadow: number;
  /** Monte Carlo standard error of `mi` over the N samples (plugInMutualInformation). */
  standardError: number;
  /** H(L) in nats: the ceiling. */
  labelEntropy: number;
  /** Fraction of samples whose nearest pooled training point lies in their own training set (1/K when independent). */
  ownSetFraction: number;
  n: number;
}

/**
 * Plug-in I(L; B): L = which training-set draw a sample was generated from, B = which draw holds its nearest
 * training point among all draws pooled. `samples[j]` were generated by the model built on `trainSets[j]`.
 * @example const r = nearestSetMutualInformation([g0, g1], [s0, s1]); // r.mi ~ log 2 if each copies its own set
 */
export function nearestSetMutualInformation(samples: tf.Tensor[], trainSets: tf.Tensor[], opts: { chunk?: number } = {}): NearestSetEstimate {
  const fn = "nearestSetMutualInformation";
  if (!Array.isArray(samples) || samples.length < 2) fail(fn, "samples", "must be an array of at least 2 tensors (one per training-set draw)");
  if (!Array.isArray(trainSets) || trainSets.length !== samples.length) fail(fn, "trainSets", `must be an array of ${samples.length} tensors, one per entry of samples`);
  samples.forEach((s, j) => { checkTensor(s, `samples[${j}]`, fn); checkRank(s, 2, `samples[${j}]`, fn); });
  trainSets.forEach((s, j) => { checkTensor(s, `trainSets[${j}]`, fn); checkRank(s, 2, `trainSets[${j}]`, fn); });
  const K = samples.length;
  const owner: number[] = [];
  trainSets.forEach((s, j) => { for (let i = 0; i < s.shape[0]; i++) owner.push(j); });
  const pooled = tf.concat(trainSets, 0);
  const table = new Float64Array(K * K);
  let n = 0; let own = 0;
  try {
    samples.forEach((s, j) => {
      const nn = nearestNeighbours(s, pooled, { k: 1, chunk: opts.chunk });
      for (let i = 0; i < nn.m; i++) { const b = owner[nn.index[i]]; table[j * K + b]++; n++; if (b === j) own++; }
    });
  } finally { pooled.dispose(); }
  const { mi, labelEntropy, standardError } = plugInMutualInformation(table, K);
  return { mi, miMillerMadow: mi - (K - 1) ** 2 / (2 * n), standardError, labelEntropy, ownSetFraction: own / n, n };
}

export interface PlugInEstimate {
  /** Plug-in I(L; B) in nats. */
  mi: number;
  /** Its Monte Carlo standard error in nats (see plugInMutualInformation). */
  standardError: number;
  /** H(L) in nats. */
  labelEntropy: number;
  /** Samples counted in the table. */
  n: number;
}

/**
 * The plug-in mutual information of a K x K table of counts (row-major, `table[a * K + b]`: label a, nearest set
 * b) and its Monte Carlo standard error over the N samples. The variance adds the two regimes of the plug-in's
 * sampling law: the delta-method term (sum p ln^2(p / (p_a p_b)) - I^2) / N, exact to first order for I > 0
 * (Hutter 2002, "Distribution of mutual information", NIPS 14: the leading term of the variance), and
 * the variance (K - 1)^2 / (2 N^2) of the chi-square limit 2 N I ~ chi^2_{(K-1)^2} at independence (Miller 1955),
 * where the first term vanishes. So it does not claim zero error where either term is what is left.
 * @example plugInMutualInformation([500, 0, 0, 500], 2) // { mi: ln 2, standardError: 1 / (1000 sqrt 2), ... }
 */
export function plugInMutualInformation(table: ArrayLike<number>, K: number): PlugInEstimate {
  const fn = "plugInMutualInformation";
  checkNumber(K, "K", fn, { integer: true, min: 2 });
  if (!table || table.length !== K * K) fail(fn, "table", `must hold K * K = ${K * K} counts, got ${table ? table.length : table}`);
  let n = 0;
  for (let i = 0; i < table.length; i++) {
    if (!(table[i] >= 0) || !Number.isFinite(table[i])) fail(fn, `table[${i}]`, `must be a finite count >= 0, got ${table[i]}`);
    n += table[i];
  }
  if (!(n > 0)) fail(fn, "table", "must count at least one sample");
  const pl = new Float64Array(K); const pb = new Float64Array(K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) { pl[a] += table[a * K + b] / n; pb[b] += table[a * K + b] / n; }
  let mi = 0; let second = 0; let labelEntropy = 0;
  for (let a = 0; a < K; a++) {
    if (pl[a] > 0) labelEntropy -= pl[a] * Math.log(pl[a]);
    for (let b = 0; b < K; b++) {
      const p = table[a * K + b] / n;
      if (p > 0) { const l = Math.log(p / (pl[a] * pb[b])); mi += p * l; second += p * l * l; }
    }
  }
  const delta = Math.max(0, second - mi * mi) / n;
  return { mi, standardError: Math.sqrt(delta + (K - 1) ** 2 / (2 * n * n)), labelEntropy, n };
}

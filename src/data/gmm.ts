/**
 * Gaussian mixtures with exact densities and scores: the ground truth that score models are tested against.
 *
 * The law of a X + s eps with X ~ sum_j w_j N(mu_j, S_j) and eps ~ N(0, I) is sum_j w_j N(a mu_j, a^2 S_j + s^2 I)
 * (Song et al. 2021, "Score-Based Generative Modeling through SDEs", marginals of the linear SDEs; mixture closed
 * form in /work/shared/PAPERS.md). Each S_j = U diag(l) U^T is eigendecomposed once, so for any per-row (a, s)
 * (a^2 S_j + s^2 I)^-1 = U diag(1 / (a^2 l + s^2)) U^T and log det = sum log(a^2 l + s^2): exact and cheap.
 */
import * as tf from "@tensorflow/tfjs";
import { MAX_TENSOR_ELEMENTS, Rng, checkNumber, checkRank, checkTensor, checkTensorSize, fail } from "../tensor";
import { identity, symmetricEigen } from "../linalg";

export interface GmmSpec {
  weights: number[];
  means: number[][];
  /** Per component: an isotropic variance, or a full d x d covariance. Default 1 (identity). */
  covs?: (number | number[][])[];
}

const LOG_2PI = Math.log(2 * Math.PI);

interface Component {
  /** Eigenvalues of the covariance. */
  l: number[];
  /** Eigenvectors as columns, row-major d x d. */
  u: number[][];
}

function validateSpec(spec: GmmSpec): { dim: number; comps: Component[] } {
  const fn = "GaussianMixture";
  if (spec === null || typeof spec !== "object") fail(fn, "spec", "must be an object {weights, means, covs?}");
  const { weights, means, covs } = spec;
  if (!Array.isArray(weights) || weights.length === 0) fail(fn, "spec.weights", "must be a non-empty array of numbers");
  weights.forEach((w, j) => {
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) fail(fn, `spec.weights[${j}]`, `must be a finite number >= 0, got ${String(w)}`);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) fail(fn, "spec.weights", `must sum to 1 (within 1e-6), got sum ${total}`);
  const k = weights.length;
  if (!Array.isArray(means) || means.length !== k) fail(fn, "spec.means", `must be an array of ${k} mean vectors (one per weight), got ${Array.isArray(means) ? means.length : typeof means}`);
  if (!Array.isArray(means[0]) || means[0].length === 0) fail(fn, "spec.means[0]", "must be a non-empty array of numbers");
  const dim = means[0].length;
  means.forEach((m, j) => {
    if (!Array.isArray(m) || m.length !== dim) fail(fn, `spec.means[${j}]`, `must have length ${dim} like spec.means[0], got ${Array.isArray(m) ? m.length : typeof m}`);
    if (m.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail(fn, `spec.means[${j}]`, "must hold finite numbers");
  });
  if (covs !== undefined && (!Array.isArray(covs) || covs.length !== k)) fail(fn, "spec.covs", `must be an array of ${k} covariances (one per weight) or omitted`);
  const comps = weights.map((_, j): Component => {
    const c = covs === undefined ? 1 : covs[j];
    const name = `spec.covs[${j}]`;
    if (typeof c === "number") {
      if (!Number.isFinite(c) || c <= 0) fail(fn, name, `as an isotropic variance must be a finite number > 0, got ${c}`);
      return { l: new Array(dim).fill(c), u: identity(dim) };
    }
    if (!Array.isArray(c) || c.length !== dim || c.some((r) => !Array.isArray(r) || r.length !== dim)) {
      fail(fn, name, `must be a number (isotropic variance) or a ${dim}x${dim} matrix`);
    }
    let big = 0;
    for (const row of c) for (const v of row) {
      if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, name, "must hold finite numbers");
      big = Math.max(big, Math.abs(v));
    }
    for (let a = 0; a < dim; a++) for (let b = a + 1; b < dim; b++) {
      // Relative tolerance so that covariances computed in float64 (rounding ~1e-16) still pass.
      if (Math.abs(c[a][b] - c[b][a]) > 1e-9 * big) fail(fn, name, `must be symmetric: entry [${a}][${b}] = ${c[a][b]} but [${b}][${a}] = ${c[b][a]}`);
    }
    const { values, vectors } = symmetricEigen(c);
    const lmax = values[values.length - 1];
    if (!(values[0] > 1e-12 * Math.max(lmax, 0)) || !(lmax > 0)) {
      fail(fn, name, `must be positive definite, smallest eigenvalue is ${values[0]}`);
    }
    return { l: values, u: vectors };
  });
  return { dim, comps };
}

function deepCopySpec(spec: GmmSpec): GmmSpec {
  return {
    weights: spec.weights.slice(),
    means: spec.means.map((m) => m.slice()),
    ...(spec.covs === undefined ? {} : { covs: spec.covs.map((c) => (typeof c === "number" ? c : c.map((r) => r.slice()))) }),
  };
}

/**
 * Turns a scale or std argument into a tensor of shape [1, n, 1] (or [1, 1, 1]) for broadcasting over
 * [k, n, d]. Must be called inside tf.tidy.
 */
function rowParam(v: number | tf.Tensor | undefined, dflt: number, n: number, name: string, fn: string, nonNegative: boolean): tf.Tensor3D {
  if (v === undefined) v = dflt;
  if (typeof v === "number") {
    checkNumber(v, name, fn, nonNegative ? { min: 0 } : {});
    return tf.scalar(v).reshape([1, 1, 1]) as tf.Tensor3D;
  }
  const t = checkTensor(v, name, fn);
  const ok = t.size === 1 && t.rank <= 2 || (t.rank === 1 && t.shape[0] === n) || (t.rank === 2 && t.shape[0] === n && t.shape[1] === 1);
  if (!ok) fail(fn, name, `must be a number or a tensor of shape [${n}] or [${n}, 1] (one per row of x), got shape [${t.shape}]`);
  return t.toFloat().reshape([1, t.size === 1 && n !== 1 ? 1 : n, 1]) as tf.Tensor3D;
}

/**
 * A finite Gaussian mixture sum_j w_j N(mu_j, S_j) in R^d with exact sampling, log-density, score and
 * responsibilities, also of its noised versions a X + s eps (per-row a and s, as score functions need).
 * @example
 * const g = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
 * const x = g.sample(512, new Rng(0));
 * const s = g.score(x, 0.9, tf.fill([512], 0.3)); // score of 0.9 X + 0.3 eps at x
 */
export class GaussianMixture {
  readonly dim: number;
  readonly k: number;
  readonly spec: GmmSpec;
  private readonly comps: Component[];
  private readonly logW: number[];
  /** Row-major square roots U diag(sqrt l) for sampling. */
  private readonly roots: number[][][];

  constructor(spec: GmmSpec) {
    const { dim, comps } = validateSpec(spec);
    this.spec = deepCopySpec(spec);
    this.dim = dim;
    this.k = spec.weights.length;
    this.comps = comps;
    this.logW = spec.weights.map((w) => Math.log(w));
    this.roots = comps.map((c) => c.u.map((row) => row.map((v, j) => v * Math.sqrt(c.l[j]))));
  }

  /**
   * n draws from the mixture, [n, dim].
   * @example const x = gmm.sample(1000, new Rng(1));
   */
  sample(n: number, rng: Rng): tf.Tensor2D {
    return this.draw(n, rng, "GaussianMixture.sample").x;
  }

  /**
   * n draws with the index of the component each came from.
   * @example const { x, labels } = gmm.sampleWithLabels(1000, new Rng(1));
   */
  sampleWithLabels(n: number, rng: Rng): { x: tf.Tensor2D; labels: Int32Array } {
    return this.draw(n, rng, "GaussianMixture.sampleWithLabels");
  }

  private draw(n: number, rng: Rng, fn: string): { x: tf.Tensor2D; labels: Int32Array } {
    checkNumber(n, "n", fn, { integer: true, min: 0 });
    if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
    const d = this.dim;
    checkTensorSize(n * d, "n", fn, MAX_TENSOR_ELEMENTS, `elements (${n} x ${d})`);
    const cum: number[] = [];
    let acc = 0;
    for (const w of this.spec.weights) { acc += w; cum.push(acc); }
    const labels = new Int32Array(n);
    const out = new Float32Array(n * d);
    const eps = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      // Compare against the normalised cumulative weight so that a sum of 1 - 1e-7 cannot fall off the end.
      const u = rng.next() * acc;
      let j = 0;
      while (j < this.k - 1 && u >= cum[j]) j++;
      labels[i] = j;
      for (let a = 0; a < d; a++) eps[a] = rng.nextNormal();
      const root = this.roots[j], mu = this.spec.means[j];
      for (let a = 0; a < d; a++) {
        let v = mu[a];
        for (let b = 0; b < d; b++) v += root[a][b] * eps[b];
        out[i * d + a] = v;
      }
    }
    return { x: tf.tensor2d(out, [n, d]), labels };
  }

  /**
   * Per-component log w_j + log N(x; a mu_j, a^2 S_j + s^2 I) as [k, n], and optionally the component scores
   * [k, n, d]. Must be called inside tf.tidy.
   */
  private componentTerms(x: tf.Tensor2D, scale: number | tf.Tensor | undefined, std: number | tf.Tensor | undefined, fn: string, wantScore: boolean): { logp: tf.Tensor2D; scores?: tf.Tensor3D } {
    checkTensor(x, "x", fn);
    checkRank(x, 2, "x", fn);
    if (x.shape[1] !== this.dim) fail(fn, "x", `must have shape [n, ${this.dim}], got [${x.shape}]`);
    const n = x.shape[0], d = this.dim, k = this.k;
    const a = rowParam(scale, 1, n, "scale", fn, false);
    const s = rowParam(std, 0, n, "std", fn, true);
    if (typeof scale !== "object" && typeof std !== "object" && (scale ?? 1) === 0 && (std ?? 0) === 0) {
      fail(fn, "std", "must be > 0 when scale is 0 (the law would be a point mass)");
    }
    const flatU: number[] = [], flatUt: number[] = [], flatL: number[] = [], flatMu: number[] = [];
    for (let j = 0; j < k; j++) {
      const { u, l } = this.comps[j];
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) { flatU.push(u[r][c]); flatUt.push(u[c][r]); }
      flatL.push(...l);
      flatMu.push(...this.spec.means[j]);
    }
    const U = tf.tensor3d(flatU, [k, d, d]);
    const L = tf.tensor3d(flatL, [k, 1, d]);
    const mu = tf.tensor3d(flatMu, [k, 1, d]);
    const diff = tf.sub(x.toFloat().reshape([1, n, d]), tf.mul(a, mu)); // [k, n, d]
    const y = tf.matMul(diff, U); // coordinates in each component's eigenbasis
    const v = tf.add(tf.mul(tf.square(a), L), tf.square(s)); // [k, n, d] eigenvalues of a^2 S + s^2 I
    const z = tf.div(y, v);
    const quad = tf.sum(tf.mul(y, z), 2);
    const logdet = tf.sum(tf.log(v), 2);
    const logW = tf.tensor2d(this.logW, [k, 1]);
    const logp = tf.sub(logW, tf.mul(0.5, tf.add(tf.add(quad, logdet), d * LOG_2PI))) as tf.Tensor2D;
    const scores = wantScore ? (tf.neg(tf.matMul(z, tf.tensor3d(flatUt, [k, d, d]))) as tf.Tensor3D) : undefined;
    return { logp, scores };
  }

  /** Responsibilities [k, n] from component log terms, by a stable log-sum-exp over components. */
  private static posterior(logp: tf.Tensor2D): { lse: tf.Tensor1D; r: tf.Tensor2D } {
    const lse = tf.logSumExp(logp, 0) as tf.Tensor1D;
    return { lse, r: tf.exp(tf.sub(logp, lse)) as tf.Tensor2D };
  }

  /**
   * log density of a X + s eps at each row of x, [n]. scale, std: numbers or per-row tensors [n] / [n, 1].
   * @example const lp = gmm.logDensity(x, 0.5, 0.8);
   */
  logDensity(x: tf.Tensor2D, scale?: number | tf.Tensor, std?: number | tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => {
      const { logp } = this.componentTerms(x, scale, std, "GaussianMixture.logDensity", false);
      return tf.logSumExp(logp, 0) as tf.Tensor1D;
    });
  }

  /**
   * Score grad_x log p(x) of a X + s eps, [n, dim]: sum_j r_j(x) (-(a^2 S_j + s^2 I)^-1 (x - a mu_j)).
   * @example const s = gmm.score(x, tf.exp(tf.neg(t)), tf.sqrt(tf.sub(1, tf.exp(tf.mul(-2, t)))));
   */
  score(x: tf.Tensor2D, scale?: number | tf.Tensor, std?: number | tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const { logp, scores } = this.componentTerms(x, scale, std, "GaussianMixture.score", true);
      const { r } = GaussianMixture.posterior(logp);
      return tf.sum(tf.mul(r.expandDims(2), scores!), 0) as tf.Tensor2D;
    });
  }

  /**
   * Posterior component probabilities P(component j | a X + s eps = x), [n, k]; rows sum to 1.
   * @example const r = gmm.responsibilities(x); // [n, k]
   */
  responsibilities(x: tf.Tensor2D, scale?: number | tf.Tensor, std?: number | tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const { logp } = this.componentTerms(x, scale, std, "GaussianMixture.responsibilities", false);
      return tf.transpose(GaussianMixture.posterior(logp).r) as tf.Tensor2D;
    });
  }

  /**
   * Mean of the mixture, sum_j w_j mu_j.
   * @example gmm.mean() // [0, 0]
   */
  mean(): number[] {
    const m = new Array(this.dim).fill(0);
    this.spec.weights.forEach((w, j) => this.spec.means[j].forEach((v, a) => { m[a] += w * v; }));
    return m;
  }

  /**
   * Covariance of the mixture, sum_j w_j (S_j + mu_j mu_j^T) - m m^T (law of total covariance).
   * @example gmm.covariance() // [[4.25, 0], [0, 0.25]]
   */
  covariance(): number[][] {
    const d = this.dim, m = this.mean();
    const c = Array.from({ length: d }, () => new Array(d).fill(0));
    this.spec.weights.forEach((w, j) => {
      const { u, l } = this.comps[j], mu = this.spec.means[j];
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
        let sab = 0;
        for (let e = 0; e < d; e++) sab += u[a][e] * l[e] * u[b][e];
        c[a][b] += w * (sab + mu[a] * mu[b]);
      }
    });
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) c[a][b] -= m[a] * m[b];
    return c;
  }
}

/**
 * A single Gaussian N(mean, cov) as a one-component mixture.
 * @example const g = singleGaussian([0, 0], [[1, 0.5], [0.5, 2]]);
 */
export function singleGaussian(mean: number[], cov: number | number[][]): GaussianMixture {
  return new GaussianMixture({ weights: [1], means: [mean], covs: [cov] });
}

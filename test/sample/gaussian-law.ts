/**
 * Exact laws for sampler tests (not a test file). With a Gaussian target N(mu, S) and its exact score, each
 * coordinate of S's eigenbasis evolves on its own, and Euler–Maruyama, Heun on the probability-flow ODE and DDIM
 * are affine maps plus Gaussian noise: the generated law is Gaussian with mean and variance that follow scalar
 * recursions (PAPERS.md, closed forms). Computed in float64 here, independently of the samplers' tensor code.
 */
import * as tf from "@tensorflow/tfjs";
import { symmetricEigen } from "../../src/linalg/eigen";
import { timeGrid } from "../../src/sample";
import type { SDE } from "../../src/sde";

export type LawKind = "em" | "heun" | "ddim";

/** One affine step x' = A x + b + sqrt(q) z for a 1-D target N(m, lam). */
function step(kind: LawKind, sde: SDE, m: number, lam: number, t: number, tn: number, last: boolean): [number, number, number] {
  const h = t - tn;
  const at = (u: number) => { const { scale: a, std: s } = sde.marginalAt(u); return { a, s, v: a * a * lam + s * s }; };
  const { a, s, v } = at(t);
  if (kind === "em") {
    const c = sde.driftCoefAt(t), g = sde.diffusionAt(t);
    return [1 - h * c - (h * g * g) / v, (h * g * g * a * m) / v, last ? 0 : g * g * h];
  }
  if (kind === "heun") {
    // F(x, u) = alpha(u) x + beta(u) with alpha = c + g^2 / (2 v), beta = -g^2 a m / (2 v).
    const F = (u: number) => { const p = at(u); const c = sde.driftCoefAt(u), g = sde.diffusionAt(u); return [c + (g * g) / (2 * p.v), -(g * g * p.a * m) / (2 * p.v)]; };
    const [a1, b1] = F(t), [a2, b2] = F(tn);
    return [1 - (h / 2) * (a1 + a2 * (1 - h * a1)), -(h / 2) * (b1 + a2 * -h * b1 + b2), 0];
  }
  const n = at(tn);
  // x0 = (x - s^2 (x - a m)/v)/a, eps = s (x - a m)/v, x' = a' x0 + s' eps.
  const kx0 = (1 - (s * s) / v) / a, bx0 = (s * s * m) / v;
  const ke = s / v, be = -(s * a * m) / v;
  return [n.a * kx0 + n.s * ke, n.a * bx0 + n.s * be, 0];
}

export interface GaussLaw { mean: number[]; cov: number[][]; kl: number }

/** The exact law of the sampler's output, and its KL divergence to the target. */
export function exactLaw(kind: LawKind, sde: SDE, mean: number[], cov: number[][], steps: number): GaussLaw {
  const { values, vectors } = symmetricEigen(cov);
  const d = mean.length;
  const ts = timeGrid(sde, steps);
  const priorVar = sde.kind === "ve" ? sde.marginalAt(sde.T).std ** 2 : 1;
  const mOut: number[] = [], vOut: number[] = [];
  let kl = 0;
  for (let k = 0; k < d; k++) {
    const mk = mean.reduce((acc, v, i) => acc + v * vectors[i][k], 0);
    let mu = 0, va = priorVar;
    for (let i = 0; i < steps; i++) {
      const [A, b, q] = step(kind, sde, mk, values[k], ts[i], ts[i + 1], i === steps - 1);
      mu = A * mu + b; va = A * A * va + q;
    }
    mOut.push(mu); vOut.push(va);
    kl += 0.5 * (va / values[k] + (mu - mk) ** 2 / values[k] - 1 - Math.log(va / values[k]));
  }
  const outMean = mean.map((_, i) => mOut.reduce((acc, m, k) => acc + vectors[i][k] * m, 0));
  const outCov = mean.map((_, i) => mean.map((__, j) => vOut.reduce((acc, v, k) => acc + vectors[i][k] * v * vectors[j][k], 0)));
  return { mean: outMean, cov: outCov, kl };
}

/** Sample mean and (biased) covariance of x [n, d]. */
export function moments(x: tf.Tensor): { mean: number[]; cov: number[][] } {
  const rows = x.arraySync() as number[][];
  const n = rows.length, d = rows[0].length;
  const mean = new Array(d).fill(0);
  for (const r of rows) r.forEach((v, i) => (mean[i] += v / n));
  const cov = mean.map(() => new Array(d).fill(0));
  for (const r of rows) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] += ((r[i] - mean[i]) * (r[j] - mean[j])) / n;
  return { mean, cov };
}

/**
 * Checks sample moments against a Gaussian law N(m, C) with n samples: standard errors are sqrt(C_ii / n) for a
 * mean and sqrt((C_ii C_jj + C_ij^2) / n) for a covariance entry; `z` of them are allowed, plus `bias` (a bound on
 * the law's own error when comparing with a target rather than the exact law).
 */
export function momentErrors(sample: { mean: number[]; cov: number[][] }, law: { mean: number[]; cov: number[][] }, n: number, z: number, bias = 0): string[] {
  const errs: string[] = [];
  const C = law.cov, d = law.mean.length;
  for (let i = 0; i < d; i++) {
    const tol = z * Math.sqrt(C[i][i] / n) + bias;
    if (Math.abs(sample.mean[i] - law.mean[i]) > tol) errs.push(`mean[${i}] ${sample.mean[i].toFixed(4)} vs ${law.mean[i].toFixed(4)} (tol ${tol.toFixed(4)})`);
    for (let j = 0; j <= i; j++) {
      const tc = z * Math.sqrt((C[i][i] * C[j][j] + C[i][j] ** 2) / n) + bias;
      if (Math.abs(sample.cov[i][j] - C[i][j]) > tc) errs.push(`cov[${i}][${j}] ${sample.cov[i][j].toFixed(4)} vs ${C[i][j].toFixed(4)} (tol ${tc.toFixed(4)})`);
    }
  }
  return errs;
}

/** A well-conditioned d x d covariance with correlations: 0.5 I + u u^T / d + diag ramp. */
export function testCov(d: number): number[][] {
  const u = Array.from({ length: d }, (_, i) => Math.cos(i + 1));
  return u.map((ui, i) => u.map((uj, j) => (i === j ? 0.5 + (0.5 * i) / d : 0) + ui * uj));
}

export function testMean(d: number): number[] {
  return Array.from({ length: d }, (_, i) => (i % 2 ? -1 : 1) * (0.5 + i / d));
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { gaussianBarycenter } from "../../src/fusion/gaussian-barycenter";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** KL(N(m0,S0) || N(m1,S1)) for 2-D, by the closed form. */
function kl2(m0: number[], S0: number[][], m1: number[], S1: number[][]): number {
  const det = (S: number[][]) => S[0][0] * S[1][1] - S[0][1] * S[1][0];
  const inv = (S: number[][]) => { const d = det(S); return [[S[1][1] / d, -S[0][1] / d], [-S[1][0] / d, S[0][0] / d]]; };
  const I1 = inv(S1);
  const tr = I1[0][0] * S0[0][0] + I1[0][1] * S0[1][0] + I1[1][0] * S0[0][1] + I1[1][1] * S0[1][1];
  const dm = [m1[0] - m0[0], m1[1] - m0[1]];
  const quad = dm[0] * (I1[0][0] * dm[0] + I1[0][1] * dm[1]) + dm[1] * (I1[1][0] * dm[0] + I1[1][1] * dm[1]);
  return 0.5 * (tr + quad - 2 + Math.log(det(S1) / det(S0)));
}

test("1-D by hand: N(0,1) and N(2,4) at (1/2, 1/2) give N(0.4, 1.6)", () => {
  // precision 0.5 * 1 + 0.5 / 4 = 0.625 -> variance 1.6; mean 1.6 * (0.5 * 2 / 4) = 0.4.
  const g = gaussianBarycenter([{ mean: [0], cov: [[1]] }, { mean: [2], cov: [[4]] }], [0.5, 0.5]);
  close(g.cov[0][0], 1.6);
  close(g.mean[0], 0.4);
});

test("equal covariances: the barycenter mean is the weighted mean and the covariance is unchanged", () => {
  const S = [[1, 0.3], [0.3, 0.5]];
  const g = gaussianBarycenter([{ mean: [0, 0], cov: S }, { mean: [4, 0], cov: S }, { mean: [0, 4], cov: S }], [0.5, 0.3, 0.2]);
  close(g.mean[0], 1.2, 1e-12);
  close(g.mean[1], 0.8, 1e-12);
  g.cov.forEach((r, i) => r.forEach((v, j) => close(v, S[i][j], 1e-12)));
});

test("the closed form minimises sum_k l_k KL(q || p_k) among nearby Gaussians", () => {
  const ps = [{ mean: [1, -1], cov: [[2, 0.4], [0.4, 1]] }, { mean: [-2, 3], cov: [[0.5, -0.1], [-0.1, 1.5]] }];
  const w = [0.3, 0.7];
  const g = gaussianBarycenter(ps, w);
  const obj = (m: number[], S: number[][]) => w.reduce((a, l, k) => a + l * kl2(m, S, ps[k].mean, ps[k].cov), 0);
  const best = obj(g.mean, g.cov);
  // Any perturbation of mean or covariance (kept positive definite) increases the objective: it is strictly convex.
  for (const [dm, dS] of [[[0.05, 0], 0], [[0, -0.05], 0], [[0, 0], 0.05], [[0, 0], -0.05]] as [number[], number][]) {
    const S = [[g.cov[0][0] + dS, g.cov[0][1] + dS / 2], [g.cov[1][0] + dS / 2, g.cov[1][1]]];
    assert.ok(obj([g.mean[0] + dm[0], g.mean[1] + dm[1]], S) > best);
  }
});

test("bad inputs", () => {
  assert.throws(() => gaussianBarycenter([], []), /gaussianBarycenter: argument 'gaussians'/);
  assert.throws(() => gaussianBarycenter([{ mean: [0], cov: [[1]] }], [0.5]), /must sum to 1/);
  assert.throws(() => gaussianBarycenter([{ mean: [0], cov: [[1]] }, { mean: [0, 1], cov: [[1]] }], [0.5, 0.5]), /gaussians\[1\]\.mean/);
  assert.throws(() => gaussianBarycenter([{ mean: [0], cov: [[0]] }], [1]), /invertible/);
});

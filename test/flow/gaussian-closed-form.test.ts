import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { gaussianScore } from "../../src/score/exact";
import { gaussianKL } from "../../src/bounds/gaussian";
import { gaussianSDFlowAt, noiseLevelSDE, particleMoments, sdFlow } from "../../src/flow";

test("closed-form Gaussian SD flow: the 1-D solution by hand, its limits, and the matrix ODE dS/dtau = 2I - PS - SP", () => {
  // 1-D: m(tau) = m_p + (m_0 - m_p) e^{-tau/s_p^2}, v(tau) = s_p^2 + (v_0 - s_p^2) e^{-2 tau/s_p^2}; exact up to rounding.
  const g = gaussianSDFlowAt({ mean: [0], cov: 4 }, { mean: [2], cov: 1.5 }, 0.7);
  assert.ok(Math.abs(g.mean[0] - (2 - 2 * Math.exp(-0.7 / 1.5))) < 1e-12);
  assert.ok(Math.abs(g.cov[0][0] - (1.5 + 2.5 * Math.exp(-1.4 / 1.5))) < 1e-12);
  const q = { mean: [0.5, -0.3], cov: [[2, -0.6], [-0.6, 0.7]] }, p = { mean: [2, -1], cov: [[1, 0.4], [0.4, 0.5]] };
  const at0 = gaussianSDFlowAt(q, p, 0), atInf = gaussianSDFlowAt(q, p, 200);
  assert.ok(gaussianKL(at0, q) < 1e-12 && gaussianKL(atInf, p) < 1e-12);
  // The solution satisfies the ODE: central differences of S(tau) and m(tau) against the right-hand sides. The
  // difference quotient's error is O(h^2 |S'''|) ~ 1e-8 at h = 1e-4; 1e-6 fails any wrong sign or factor.
  const P = [[0.5 / 0.34, -0.4 / 0.34], [-0.4 / 0.34, 1 / 0.34]];
  const tau = 0.3, h = 1e-4;
  const [a, b, c] = [tau - h, tau, tau + h].map((t) => gaussianSDFlowAt(q, p, t));
  for (let i = 0; i < 2; i++) {
    const dm = (c.mean[i] - a.mean[i]) / (2 * h);
    const rhsM = -(P[i][0] * (b.mean[0] - p.mean[0]) + P[i][1] * (b.mean[1] - p.mean[1]));
    assert.ok(Math.abs(dm - rhsM) < 1e-6, `dm/dtau ${dm} vs ${rhsM}`);
    for (let j = 0; j < 2; j++) {
      const dS = (c.cov[i][j] - a.cov[i][j]) / (2 * h);
      const PS = P[i][0] * b.cov[0][j] + P[i][1] * b.cov[1][j], SP = b.cov[i][0] * P[0][j] + b.cov[i][1] * P[1][j];
      assert.ok(Math.abs(dS - ((i === j ? 2 : 0) - PS - SP)) < 1e-6, `dS/dtau ${i}${j}`);
    }
  }
  assert.throws(() => gaussianSDFlowAt(q, p, -1), /gaussianSDFlowAt: argument 'tau'/);
  assert.throws(() => gaussianSDFlowAt({ mean: [0], cov: 1 }, p, 1), /gaussianSDFlowAt: argument 'source' must have dimension 2/);
  assert.throws(() => gaussianSDFlowAt(q, { mean: [0, 0], cov: [[1, 2], [2, 1]] }, 1), /argument 'target.cov'/);
});

test("sdFlow's exact-Gaussian particles follow the closed form with Euler's first-order error", async () => {
  await initBackend();
  const p = { mean: [2, -1], cov: [[1, 0.4], [0.4, 0.5]] };
  const target = gaussianScore(noiseLevelSDE(), p.mean, p.cov);
  const src = new Rng(3).normal([100, 2]) as tf.Tensor2D;
  const start = particleMoments(src);
  const departure = async (eta: number) => {
    const r = await sdFlow(src, target.score, { iterations: Math.round(2 / eta), eta, stepScale: "unit", anneal: "constant", sigmaMax: 0, sourceScore: "gaussian" });
    const m = particleMoments(r.particles);
    r.particles.dispose();
    const c = gaussianSDFlowAt(start, p, 2);
    return Math.max(...m.mean.map((v, i) => Math.abs(v - c.mean[i])), ...m.cov.flat().map((v, i) => Math.abs(v - c.cov.flat()[i])));
  };
  // The update is affine, so the particles' moments are Euler's method on the moment ODE exactly (any n): the
  // error to the closed form is O(eta) and halves with eta. The flow moves the mean by ~2, so 0.05 fails a wrong flow.
  const e1 = await departure(0.02), e2 = await departure(0.01);
  assert.ok(e1 < 0.05, `departure ${e1}`);
  assert.ok(e1 / e2 > 1.6 && e1 / e2 < 2.4, `Euler order: ${e1} / ${e2}`);
  src.dispose();
  target.dispose();
});

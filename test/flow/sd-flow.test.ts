import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { gaussianScore } from "../../src/score/exact";
import { sdFlow, noiseLevelSDE, sigmaAt } from "../../src/flow";

function moments1d(x: tf.Tensor2D): { m: number; s: number } {
  const v = Array.from(x.dataSync());
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { m, s: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
}

test("1-D exact Gaussian flow follows dm/dtau = -(m - m_p)/s_p^2, ds/dtau = 1/s - s/s_p^2 (Weber 2023)", async () => {
  await initBackend();
  const rng = new Rng(1);
  const src = tf.add(tf.mul(rng.normal([400, 1]), 0.4), -1) as tf.Tensor2D;
  const { m: m0, s: s0 } = moments1d(src);
  const mp = 2, sp = 1.5;
  const target = gaussianScore(noiseLevelSDE(), [mp], sp * sp);
  const eta = 0.01, iters = 200;
  const r = await sdFlow(src, target.score, { iterations: iters, eta, stepScale: "unit", anneal: "constant", sigmaMax: 0, sourceScore: "gaussian" });
  // RK4 of the ODE to tau = eta * iters with a fine step: the reference solution.
  let m = m0, s = s0;
  const dt = 1e-3, F = (mm: number, ss: number) => [-(mm - mp) / (sp * sp), 1 / ss - ss / (sp * sp)];
  for (let k = 0; k < Math.round((eta * iters) / dt); k++) {
    const k1 = F(m, s), k2 = F(m + dt / 2 * k1[0], s + dt / 2 * k1[1]), k3 = F(m + dt / 2 * k2[0], s + dt / 2 * k2[1]), k4 = F(m + dt * k3[0], s + dt * k3[1]);
    m += dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
    s += dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
  }
  const got = moments1d(r.particles);
  // The particles' moments follow Euler's method on the ODE exactly (the update is affine in x), so they differ
  // from the ODE by Euler's global error O(eta) ~ 0.01 * |second derivative| * tau / 2; 0.02 leaves room, while the
  // flow moves m by ~2.6 and s by ~0.8, so a wrong sign or scale fails.
  assert.ok(Math.abs(got.m - m) < 0.02, `mean ${got.m} vs ODE ${m}`);
  assert.ok(Math.abs(got.s - s) < 0.02, `std ${got.s} vs ODE ${s}`);
  assert.ok(Math.abs(m - m0) > 1 && Math.abs(s - s0) > 0.5);
  tf.dispose([src, r.particles]);
  target.dispose();
});

test("2-D flow with the target's exact score and kernel source proxy reaches the target mean and covariance", async () => {
  const rng = new Rng(2);
  const n = 400;
  const src = rng.normal([n, 2]) as tf.Tensor2D;
  const mean = [2, -1], cov = [[1, 0.5], [0.5, 0.8]];
  const target = gaussianScore(noiseLevelSDE(), mean, cov);
  const ref = tf.tidy(() => tf.add(tf.matMul(rng.normal([n, 2]), tf.tensor2d([[1, 0.5], [0, Math.sqrt(0.8 - 0.25)]])), tf.tensor2d([mean]))) as tf.Tensor2D;
  const r = await sdFlow(src, target.score, { iterations: 120, sigmaMax: 2, sigmaMin: 0.3, eta: 0.5, reference: ref, metricEvery: 40 });
  const v = r.particles.arraySync();
  const mu = [0, 1].map((j) => v.reduce((s, p) => s + p[j], 0) / n);
  const c = [0, 1].map((i) => [0, 1].map((j) => v.reduce((s, p) => s + (p[i] - mu[i]) * (p[j] - mu[j]), 0) / n));
  // Standard errors at n = 400: mean ~ sqrt(1/400) = 0.05, covariance entries ~ 0.07. The source's kernel proxy
  // (its own particles at sigma >= 0.3) adds a small bias, so we allow about 4 standard errors.
  assert.ok(Math.abs(mu[0] - 2) < 0.2 && Math.abs(mu[1] + 1) < 0.2, `mean ${mu}`);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(c[i][j] - cov[i][j]) < 0.28, `cov ${i}${j}: ${c[i][j]}`);
  const sw = r.history.filter((h) => h.sw !== undefined).map((h) => h.sw as number);
  assert.ok(sw[sw.length - 1] < sw[0] / 5, `sliced W ${sw}`);
  tf.dispose([src, ref, r.particles]);
  target.dispose();
});

test("kernel flow with sigma annealed small collapses particles onto the target samples (memorization)", async () => {
  const rng = new Rng(4);
  const tgt = tf.tidy(() => tf.add(tf.mul(rng.normal([150, 2]), 0.5), 1)) as tf.Tensor2D;
  const src = rng.normal([150, 2]) as tf.Tensor2D;
  const r = await sdFlow(src, tgt, { iterations: 80, sigmaMax: 1, sigmaMin: 0.01, keepEvery: 40 });
  const { nearestNeighbourDistances } = await import("../../src/metrics");
  const nn = Array.from(nearestNeighbourDistances(r.particles, tgt)).sort((a, b) => a - b);
  const fresh = tf.tidy(() => tf.add(tf.mul(rng.normal([150, 2]), 0.5), 1)) as tf.Tensor2D;
  const nnFresh = Array.from(nearestNeighbourDistances(fresh, tgt)).sort((a, b) => a - b);
  // A fresh sample's median distance to the data is ~0.1 at this size; collapsed particles sit within ~sigmaMin.
  assert.ok(nn[75] < nnFresh[75] / 4, `median NN ${nn[75]} vs fresh ${nnFresh[75]}`);
  assert.deepEqual(r.trajectory.map((f) => f.iter), [0, 40, 80]);
  assert.ok(Math.abs(r.history[80].sigma - sigmaAt(79, 80, 1, 0.01, "geometric")) < 1e-12);
  tf.dispose([tgt, src, fresh, r.particles]);
});

test("no tensor leaks across repeated flows; progress, abort and bad input", async () => {
  const rng = new Rng(5);
  const tgt = rng.normal([60, 2], 1) as tf.Tensor2D;
  const src = rng.normal([60, 2]) as tf.Tensor2D;
  const run = async () => { const r = await sdFlow(src, tgt, { iterations: 5, metrics: ["sw", "mmd"] }); r.particles.dispose(); };
  await run();
  const before = tf.memory().numTensors;
  await run(); await run();
  assert.equal(tf.memory().numTensors, before);
  const steps: number[] = [];
  const ac = new AbortController();
  const r = await sdFlow(src, tgt, { iterations: 50, onStep: (p) => { steps.push(p.step); if (p.step === 3) ac.abort(); }, signal: ac.signal });
  assert.equal(r.stopped, true); assert.equal(r.steps, 3);
  assert.deepEqual(steps, [1, 2, 3]);
  assert.equal(r.trajectory[r.trajectory.length - 1].iter, 3);
  r.particles.dispose();
  await assert.rejects(sdFlow(tf.zeros([5]) as never, tgt), /sdFlow: argument 'source' must have rank 2/);
  await assert.rejects(sdFlow(src, tf.zeros([4, 3]) as tf.Tensor2D), /sdFlow: argument 'target' must have 2 columns/);
  await assert.rejects(sdFlow(src, tgt, { eta: -1 }), /argument 'eta'/);
  await assert.rejects(sdFlow(src, tgt, { anneal: "constant", sigmaMax: 0 }), /argument 'sigmaMin' must be > 0 when a kernel/);
  await assert.rejects(sdFlow(src, (x) => x, { metrics: ["sw"] }), /argument 'reference' is needed/);
  await assert.rejects(sdFlow(src, tgt, { sourceScore: "exact" as never }), /argument 'sourceScore'/);
  tf.dispose([src, tgt]);
});

test("sdFlow refuses iterations past 1e6 with a clear Error", async () => {
  await initBackend();
  const src = tf.tensor2d([[0, 0], [1, 1]]);
  try {
    await assert.rejects(sdFlow(src, (x: tf.Tensor) => tf.neg(x), { iterations: 1e12 }), /sdFlow: argument 'iterations' must be <= 1000000/);
  } finally { src.dispose(); }
});

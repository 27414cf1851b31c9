import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, veSDE, vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { logLikelihood, noiseGrid, odeLogLikelihood } from "../../src/sample";
import type { GridSpec } from "../../src/sde";
import { testCov, testMean } from "./gaussian-law";

/*
 * The probability-flow ODE gives log p_tMin(x) exactly when the prior equals p_T and the integration is exact.
 * Error budget for the closed-form comparison:
 *  - prior mismatch: VP with beta1 = 30 has a(T) = e^{-15.05/2} = 5e-4, so log p_T and log N(0, I) differ by
 *    about a(T)|mu||x_T| + a(T)^2 |S| < 1e-2 over these points;
 *  - RK4 with 100 steps: error measured against 400 steps below 1e-3 nats;
 *  - float32 accumulation over 400 field evaluations: ~1e-4.
 * So 2e-2 nats per sample for VP. VE's prior N(0, sigma_T^2) against p_T = N(mu, S + sigma_T^2): the log-density
 * difference is about mu.x_T / sigma_T^2 ~ |mu| sqrt(d) / sigma_T, 0.08 for sigmaMax = 50 (observed 0.075) and
 * 0.008 for sigmaMax = 500 (observed 0.008, and 7e-4 at sigmaMax = 5000), used here with the same 2e-2.
 */
for (const [name, sde, tol, heunTol] of [["VP", vpSDE({ schedule: linearSchedule({ beta1: 30 }) }), 2e-2, 2e-2], ["VE", veSDE({ sigmaMax: 500 }), 2e-2, 4e-2]] as const) {
  test(`${name}: exact-divergence likelihood equals the closed-form log-density (d = 3)`, async () => {
    await initBackend();
    const d = 3, mean = testMean(d), cov = testCov(d);
    const m = gaussianScore(sde, mean, cov);
    const x = tf.add(new Rng(9).normal([6, d], 0, 1.2), tf.tensor2d([mean])) as tf.Tensor2D;
    const res = await logLikelihood(m.score, sde, x, { steps: 100 });
    const want = m.logDensity!(x, tf.fill([6], sde.tMin)).dataSync();
    res.logp.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < tol, `sample ${i}: ${v} vs closed form ${want[i]}`));
    res.bitsPerDim.forEach((b, i) => assert.ok(Math.abs(b + res.logp[i] / (d * Math.LN2)) < 1e-12));
    assert.ok(Math.abs(res.meanLogp - res.logp.reduce((a, b) => a + b, 0) / 6) < 1e-9);
    // Heun is second order; measured once on VE against RK4 (which is converged at 100 steps: 400 steps change
    // it by < 1e-4): errors up to 0.024 nats at 200 steps, 0.003 at 800. Budget 4e-2 on VE, 2e-2 on VP.
    const heun = await logLikelihood(m.score, sde, x, { steps: 200, method: "heun" });
    heun.logp.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < heunTol, `Heun sample ${i}: ${v} vs ${want[i]}`));
    tf.dispose(x); m.dispose();
  });
}

test("Hutchinson's estimate agrees with the exact divergence within its standard error (d = 10)", async () => {
  const sde = vpSDE({ schedule: linearSchedule({ beta1: 30 }) });
  const d = 10, n = 64, mean = testMean(d), cov = testCov(d);
  const m = gaussianScore(sde, mean, cov);
  const x = tf.add(new Rng(2).normal([n, d]), tf.tensor2d([mean])) as tf.Tensor2D;
  const exact = await logLikelihood(m.score, sde, x, { steps: 40, divergence: "exact" });
  const want = m.logDensity!(x, tf.fill([n], sde.tMin)).dataSync();
  exact.logp.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-2, `exact d=10 sample ${i}: ${v} vs ${want[i]}`));
  for (const probe of ["rademacher", "gaussian"] as const) {
    const h = await logLikelihood(m.score, sde, x, { steps: 40, divergence: "hutchinson", probe, rng: new Rng(7) });
    // Along the same ODE path (it does not depend on the divergence), the per-sample error is z^T M z - tr M
    // for a fixed matrix M (the Gaussian score's Jacobian does not depend on x): unbiased, independent across
    // samples. Its mean over n samples must sit within 4.5 standard errors sd / sqrt(n) of zero.
    const diff = Array.from(h.logp, (v, i) => v - exact.logp[i]);
    const mu = diff.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(diff.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1));
    assert.ok(sd > 1e-3, `${probe}: the estimate should be noisy (sd ${sd})`);
    assert.ok(Math.abs(mu) < 4.5 * sd / Math.sqrt(n), `${probe}: mean error ${mu}, standard error ${sd / Math.sqrt(n)}`);
  }
  // More probes shrink the error (variance / K): 8 probes should give a clearly smaller spread than 1.
  const spread = async (probes: number) => {
    const h = await logLikelihood(m.score, sde, x, { steps: 40, divergence: "hutchinson", probes, rng: new Rng(8) });
    const diff = Array.from(h.logp, (v, i) => v - exact.logp[i]);
    return Math.sqrt(diff.reduce((a, b) => a + b * b, 0) / n);
  };
  const s1 = await spread(1), s8 = await spread(8);
  assert.ok(s8 < 0.6 * s1, `rms error with 8 probes ${s8} vs 1 probe ${s1} (expected ratio 1/sqrt(8) = 0.35)`);
  tf.dispose(x); m.dispose();
});

test("bad likelihood input throws errors that name the problem", async () => {
  await initBackend();
  const vp = vpSDE();
  const m = gaussianScore(vp, [0, 0]);
  const nan = tf.tensor2d([[NaN, 0]]), r1 = tf.tensor1d([1, 2]);
  await assert.rejects(logLikelihood(m.score, vp, nan), /logLikelihood: argument 'x' contains NaN/);
  await assert.rejects(logLikelihood(m.score, vp, r1), /logLikelihood: argument 'x' must have shape \[n, \.\.\.dims\]/);
  await assert.rejects(logLikelihood(m.score, vp, tf.zeros([1, 2]), { steps: 0 }), /logLikelihood: argument 'opts.steps'/);
  await assert.rejects(logLikelihood(m.score, vp, tf.zeros([1, 2]), { divergence: "hutchinson" }), /logLikelihood: argument 'opts.rng' must be an Rng/);
  tf.dispose([nan, r1]);
  m.dispose();
});

test("logLikelihood refuses steps = 1e12 with an Error before any grid is built", async () => {
  await initBackend();
  const sde = vpSDE();
  const score = (x: tf.Tensor) => tf.neg(x);
  const x = tf.zeros([2, 2]);
  try {
    await assert.rejects(logLikelihood(score, sde, x, { steps: 1e12 }), /logLikelihood: argument 'opts.steps' must be <= 1000000/);
  } finally { x.dispose(); }
});

test("per-row noise: Hutchinson likelihoods are per row too", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [0, 0], 1);
  const x = new Rng(2).normal([6, 2]);
  const head = tf.slice(x, [0, 0], [3, 2]);
  const opts = { steps: 10, divergence: "hutchinson" as const };
  const all = await logLikelihood(m.score, sde, x, { ...opts, rng: new Rng(3) });
  const part = await logLikelihood(m.score, sde, head, { ...opts, rng: new Rng(3) });
  part.logp.forEach((v, i) => assert.ok(Math.abs(v - all.logp[i]) < 1e-4, `row ${i}: ${v} vs ${all.logp[i]}`));
  tf.dispose([x, head]);
  m.dispose();
});


/*
 * Where the steps fall. A narrow Gaussian (variance 0.01) has a velocity that changes fastest near tMin; measured
 * once against the closed form (exact divergence, VP default): largest error over rows at 16 steps 0.159 nats with
 * uniform steps and 0.0085 with steps uniform in log-SNR; at 64 steps both reach the prior-mismatch floor (0.012).
 * The bounds below sit between the two by a factor of about 3 either way.
 */
test("a log-SNR grid integrates a narrow Gaussian's likelihood far closer than uniform steps at 16 steps", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [0.5, -0.5], 0.01);
  const x = tf.add(new Rng(9).normal([8, 2], 0, 0.12), tf.tensor2d([[0.5, -0.5]]));
  const want = m.logDensity!(x, tf.fill([8], sde.tMin)).dataSync();
  const before = tf.memory().numTensors;
  const err = async (grid: GridSpec) => {
    const r = await logLikelihood(m.score, sde, x, { steps: 16, grid });
    return { err: Math.max(...Array.from(r.logp, (v, i) => Math.abs(v - want[i]))), logp: r.logp };
  };
  const uniform = await err("uniform"), logsnr = await err("logsnr");
  assert.ok(uniform.err > 0.05, `uniform ${uniform.err}`);
  assert.ok(logsnr.err < 0.03, `logsnr ${logsnr.err}`);
  // A grid given as times is the same integration as the named rule that made them.
  const given = await err(noiseGrid(sde, 16, "logsnr"));
  given.logp.forEach((v, i) => assert.equal(v, logsnr.logp[i]));
  assert.equal(tf.memory().numTensors, before, "no tensor outlives a likelihood");
  await assert.rejects(logLikelihood(m.score, sde, x, { steps: 4, grid: "nope" as GridSpec }), /logLikelihood: argument 'opts.grid' must be one of uniform, karras, logsnr/);
  await assert.rejects(logLikelihood(m.score, sde, x, { steps: 4, grid: [1, 0.5, 0.1] }), /logLikelihood: argument 'opts.grid' must hold steps \+ 1 = 5 times/);
  const ode = { tMin: sde.tMin, T: sde.T, velocity: (u: tf.Tensor) => tf.neg(u), priorLogProb: (u: tf.Tensor) => tf.sum(u, 1) };
  await assert.rejects(odeLogLikelihood(ode, x, { steps: 4, grid: "logsnr" }), /odeLogLikelihood: argument 'opts.grid' needs an SDE's noise levels/);
  tf.dispose(x);
  m.dispose();
});

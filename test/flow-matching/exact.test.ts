import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, veSDE, vpSDE } from "../../src/sde";
import { mixtureScore } from "../../src/score/exact";
import { GaussianMixture } from "../../src/data/gmm";
import { probabilityFlowHeun, type SampleTrajectory } from "../../src/sample";
import { exactVelocity, flowLogLikelihood, gaussianVelocity, otPath, sampleFlow, scoreFromVelocity, sdePath, velocityFromScore, vpPath } from "../../src/flow-matching";

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const gmm2 = () => new GaussianMixture({ weights: [0.3, 0.7], means: [[-2, 1], [1.5, -0.5]], covs: [[[0.5, 0.2], [0.2, 0.3]], 0.8] });

test("path coefficients: OT values, and an SDE path's a', s' are the time derivatives of its marginal", async () => {
  await initBackend();
  assert.deepEqual(otPath().coefficientsAt(0.25), { scale: 0.75, std: 0.25, dScale: -1, dStd: 1 });
  const lip = otPath({ sigmaMin: 0.1 }).coefficientsAt(0);
  assert.ok(Math.abs(lip.std - 0.1) < 1e-15 && Math.abs(lip.dStd - 0.9) < 1e-15);
  for (const sde of [vpSDE(), veSDE({ sigmaMax: 5 })]) {
    const path = sdePath(sde);
    for (const t of [0.05, 0.3, 0.8]) {
      const c = path.coefficientsAt(t);
      const h = 1e-5, up = sde.marginalAt(t + h), dn = sde.marginalAt(t - h);
      // Central differences in float64: truncation ~h^2 |f'''|, rounding ~1e-16 / h; 1e-6 relative covers both.
      assert.ok(Math.abs(c.dScale - (up.scale - dn.scale) / (2 * h)) < 1e-6 * Math.max(1, Math.abs(c.dScale)), `${sde.kind} a' at ${t}`);
      assert.ok(Math.abs(c.dStd - (up.std - dn.std) / (2 * h)) < 1e-6 * Math.max(1, Math.abs(c.dStd)), `${sde.kind} s' at ${t}`);
      const ct = path.coefficients(tf.tensor1d([t]));
      for (const k of ["scale", "std", "dScale", "dStd"] as const) {
        assert.ok(Math.abs(ct[k].dataSync()[0] - c[k]) < 1e-5 * Math.max(1, Math.abs(c[k])), `${sde.kind} tensor ${k} at ${t}`);
      }
      tf.dispose(Object.values(ct));
    }
  }
  assert.throws(() => otPath({ sigmaMin: 1 }), /otPath: argument 'opts\.sigmaMin' must be < 1/);
  assert.throws(() => sdePath({} as never), /sdePath: argument 'sde' must be an SDE/);
});

test("exact velocity of a 1-D Gaussian equals a' mu + (a a' S + s s') / (a^2 S + s^2) (x - a mu), t = 1 included", async () => {
  await initBackend();
  const mu = 1.3, S = 0.49;
  for (const path of [otPath(), otPath({ sigmaMin: 0.05 }), vpPath()]) {
    const m = gaussianVelocity(path, [mu], S);
    const xs = [-2, 0.1, 1.3, 3], ts = [path.tMin, 0.4, 0.9, path.T];
    const v = m.velocity(tf.tensor2d(xs, [4, 1]), tf.tensor1d(ts)).dataSync();
    xs.forEach((x, i) => {
      const { scale: a, std: s, dScale: da, dStd: ds } = path.coefficientsAt(ts[i]);
      const want = da * mu + ((a * da * S + s * ds) / (a * a * S + s * s)) * (x - a * mu);
      // float32 evaluation of O(1..30) quantities (the VP path's s' is large near tMin): 1e-5 relative.
      assert.ok(Math.abs(v[i] - want) < 1e-5 * Math.max(1, Math.abs(want)), `${path.describe()} x=${x} t=${ts[i]}: ${v[i]} vs ${want}`);
    });
    m.dispose();
  }
});

test("velocity <-> score conversion is exact both ways on a 2-D mixture, and the VP path's score is mixtureScore's", async () => {
  await initBackend();
  const gmm = gmm2();
  const x = new Rng(4).normal([64, 2], 0, 2);
  for (const path of [otPath(), vpPath()]) {
    const m = exactVelocity(path, gmm);
    // Times with a > 0, where velocityFromScore is defined (it divides by a); the VP path stops at T = 1 with a > 0.
    const t = new Rng(5).uniform([64], path.tMin, path.kind === "ot" ? 0.95 : path.T);
    const v = m.velocity(x, t), s = m.score(x, t);
    const vFromS = velocityFromScore(m.score, path)(x, t), sFromV = scoreFromVelocity(m.velocity, path)(x, t);
    const scaleV = tf.max(tf.abs(v)).dataSync()[0], scaleS = tf.max(tf.abs(s)).dataSync()[0];
    // The two closed forms share only the responsibilities; float32 rounding relative to the largest entry.
    assert.ok(maxAbs(vFromS, v) < 1e-4 * scaleV, `${path.kind}: velocityFromScore off by ${maxAbs(vFromS, v)}`);
    assert.ok(maxAbs(sFromV, s) < 1e-4 * scaleS, `${path.kind}: scoreFromVelocity off by ${maxAbs(sFromV, s)}`);
    if (path.sde) {
      const ref = mixtureScore(path.sde, gmm).score(x, t);
      assert.ok(maxAbs(ref, s) < 1e-5 * scaleS, "the SDE path's marginal is the SDE's");
      ref.dispose();
    }
    tf.dispose([t, v, s, vFromS, sFromV]);
    m.dispose();
  }
  x.dispose();
  assert.throws(() => velocityFromScore(null as never, otPath()), /velocityFromScore: argument 'score' must be a function/);
});

test("the exact mixture velocity solves the continuity equation d/dt log p + v . grad log p + div v = 0 (1-D)", async () => {
  await initBackend();
  const gmm = new GaussianMixture({ weights: [0.4, 0.6], means: [[-1.5], [2]], covs: [0.3, 0.6] });
  const path = otPath();
  const m = exactVelocity(path, gmm);
  const xs = [-2.5, -1, 0, 0.7, 2.4];
  for (const t of [0.2, 0.5, 0.8]) {
    const x = tf.tensor2d(xs, [5, 1]);
    const tt = tf.fill([5], t);
    const h = 1e-3;
    const dlogp = tf.div(tf.sub(m.logDensity(x, tf.fill([5], t + h)), m.logDensity(x, tf.fill([5], t - h))), 2 * h).dataSync();
    const v = m.velocity(x, tt).dataSync();
    const dv = tf.grad((u: tf.Tensor) => tf.sum(m.velocity(u, tt)))(x).dataSync();
    const s = m.score(x, tt).dataSync();
    xs.forEach((xi, i) => {
      const residual = dlogp[i] + v[i] * s[i] + dv[i];
      // The central difference of float32 log-densities: rounding 1e-7 |log p| / h ~ 1e-3, truncation h^2 ~ 1e-6.
      assert.ok(Math.abs(residual) < 5e-3, `t=${t} x=${xi}: residual ${residual} (d/dt log p ${dlogp[i]})`);
    });
    tf.dispose([x, tt]);
  }
  m.dispose();
});

test("sampleFlow with the exact velocity is the exact transport of a Gaussian, and on the VP path it is probabilityFlowHeun", async () => {
  await initBackend();
  const mu = [1, -2], S = [0.25, 2];
  const path = otPath();
  const m = gaussianVelocity(path, mu, [[S[0], 0], [0, S[1]]]);
  const before = tf.memory().numTensors;
  const traj = await sampleFlow(m.velocity, path, { n: 32, steps: 20, rng: new Rng(1), shape: [2], method: "rk4", keepEvery: 20 }) as SampleTrajectory;
  // For a diagonal Gaussian the flow map is x_t = a mu + sqrt(a^2 S + s^2) z, z = x_1: exact at tMin.
  const { scale: a, std: s } = path.coefficientsAt(path.tMin);
  const want = tf.tidy(() => tf.add(tf.mul(tf.tensor2d([mu]), a), tf.mul(traj.states[0], tf.tensor2d([S.map((v) => Math.sqrt(a * a * v + s * s))]))));
  // RK4 with 20 steps on a smooth linear ODE: error ~1e-6; float32 rounding ~1e-6 |x|.
  assert.ok(maxAbs(traj.x, want) < 1e-4, `off by ${maxAbs(traj.x, want)}`);
  assert.deepEqual(traj.times, [1, path.tMin]);
  tf.dispose([traj.x, ...traj.states, want]);
  assert.equal(tf.memory().numTensors, before, "sampleFlow frees its intermediates");

  const sde = vpSDE();
  const gmm = gmm2();
  const fm = exactVelocity(sdePath(sde), gmm);
  const a1 = await sampleFlow(fm.velocity, sdePath(sde), { n: 64, steps: 30, rng: new Rng(2), shape: [2], method: "heun" }) as tf.Tensor;
  const a2 = await probabilityFlowHeun(mixtureScore(sde, gmm).score, sde, { n: 64, steps: 30, rng: new Rng(2), shape: [2] });
  // Same prior draws, same grid, same Heun steps: equal up to float32 rounding of two algebraically equal fields.
  assert.ok(maxAbs(a1, a2) < 1e-3, `flow vs probability flow: ${maxAbs(a1, a2)}`);
  tf.dispose([a1, a2]);
  await assert.rejects(sampleFlow(m.velocity, path, { n: 4, steps: 2, rng: new Rng(0), shape: [2], method: "midpoint" as never }), /sampleFlow: argument 'opts\.method' must be "euler", "heun" or "rk4"/);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(sampleFlow(m.velocity, path, { n: 4, steps: 2, rng: new Rng(0), shape: [2], signal: ac.signal }), (e: Error) => e.name === "AbortError");
  m.dispose(); fm.dispose();
});

test("flowLogLikelihood of the exact velocity equals the closed-form log-density of a Gaussian target (OT and VP paths)", async () => {
  await initBackend();
  const mu = [0.5, -1, 2], cov = [[1, 0.3, 0], [0.3, 0.5, -0.1], [0, -0.1, 2]];
  const x = tf.add(new Rng(8).normal([8, 3], 0, 1.2), tf.tensor2d([mu])) as tf.Tensor2D;
  // OT: p_1 = N(0, I) exactly, so only RK4's error and float32 remain (measured 4e-5 nats at 10 steps, 2e-6 at 50).
  // VP with beta1 = 30: prior mismatch a(T)|mu||x_T| ~ 1e-2 as in test/sample/likelihood.test.ts (measured 2.7e-3
  // at 20 steps and 2.6e-3 at 50: the prior term, not the integrator).
  for (const [path, tol, steps] of [[otPath(), 1e-3, 12], [vpPath({ schedule: linearSchedule({ beta1: 30 }) }), 2e-2, 20]] as const) {
    const m = gaussianVelocity(path, mu, cov);
    const r = await flowLogLikelihood(m.velocity, path, x, { steps });
    const want = m.logDensity(x, tf.fill([8], path.tMin)).dataSync();
    r.logp.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < tol, `${path.kind} sample ${i}: ${v} vs ${want[i]}`));
    m.dispose();
  }
  await assert.rejects(flowLogLikelihood((u) => tf.zeros([1, 1]), otPath(), x, { steps: 2 }), /flowLogLikelihood: argument 'velocity' must return a tensor shaped like x/);
  x.dispose();
});

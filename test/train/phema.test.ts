import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, trainScore } from "../../src/score";
import { PowerEma, gammaToStd, posthocCoefficients, powerEmaBeta, profileInnerProduct, reconstructEma, runTrainer, stdToGamma } from "../../src/train";

/** The power-function EMA of a trajectory theta_1..theta_t in closed form: weight (tau^g - (tau-1)^g) / t^g, g = gamma + 1. */
function exactPowerEma(theta: (tau: number) => number[], t: number, gamma: number): number[] {
  const g = gamma + 1;
  const out = theta(1).map(() => 0);
  for (let tau = 1; tau <= t; tau++) {
    const w = (tau / t) ** g - ((tau - 1) / t) ** g;
    theta(tau).forEach((v, i) => { out[i] += w * v; });
  }
  return out;
}

const trajectory = (s: number) => [s / 100, Math.sin(s / 37) + 0.5, -2 + (s / 400) ** 2];

test("stdToGamma inverts gammaToStd and gives EDM2's exponents (0.05 -> 16.97, 0.10 -> 6.94); bad stds name the argument", () => {
  for (const std of [0.01, 0.05, 0.1, 0.2, 0.29]) {
    const g = stdToGamma(std);
    assert.ok(Math.abs(gammaToStd(g) - std) < 1e-12, `std ${std}`);
    // The root of EDM2's cubic (eq. 126), u = std^-2: float64 polynomial of size ~g^3, so relative 1e-9.
    const u = std ** -2;
    assert.ok(Math.abs(g ** 3 + 7 * g ** 2 + (16 - u) * g + 12 - u) < 1e-9 * Math.max(1, g ** 3), `cubic at std ${std}`);
  }
  assert.ok(Math.abs(stdToGamma(0.05) - 16.97) < 0.01);
  assert.ok(Math.abs(stdToGamma(0.1) - 6.94) < 0.01);
  assert.throws(() => stdToGamma(0.4), /stdToGamma: argument 'std' must be <= 0\.300/);
  assert.throws(() => new PowerEma([tf.zeros([2])], { stds: [0.05, Number.NaN] }), /PowerEma: argument 'opts\.stds\[1\]' must be a finite number/);
  assert.equal(powerEmaBeta(3, 1), 0);
  // The Gram entry of a profile with itself: (g+1)^2 / ((2g+1) t).
  assert.ok(Math.abs(profileInnerProduct(50, 3, 50, 3) - 16 / (7 * 50)) < 1e-15);
});

test("PowerEma tracks the closed-form power-function EMA of a known trajectory and snapshots every `every` updates", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const init = tf.zeros([3]);
  const phema = new PowerEma([init], { stds: [0.05, 0.1], every: 50 });
  init.dispose();
  for (let s = 1; s <= 300; s++) {
    const w = tf.tensor1d(trajectory(s));
    phema.update([w]);
    w.dispose();
  }
  assert.deepEqual(phema.snapshots.map((s) => s.step), [50, 50, 100, 100, 150, 150, 200, 200, 250, 250, 300, 300]);
  phema.gammas.forEach((g, k) => {
    const got = Array.from(phema.emas[k][0].dataSync());
    const want = exactPowerEma(trajectory, 300, g);
    // float32 recursion over 300 updates of values up to ~3: rounding grows like steps * 6e-8 * |theta|.
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `gamma ${g} coord ${i}: ${v} vs ${want[i]}`));
    const snap = phema.snapshots[2 * 2 + k]; // step 150
    Array.from(snap.weights[0].dataSync()).forEach((v, i) => assert.ok(Math.abs(v - exactPowerEma(trajectory, 150, g)[i]) < 1e-4, `snapshot coord ${i}`));
  });
  phema.dispose();
  assert.equal(tf.memory().numTensors, before, "dispose frees the EMAs and the snapshots");
});

test("reconstructEma recovers the EMA of other lengths and steps within the profile-residual bound, and a snapshot exactly", async () => {
  await initBackend();
  const steps = 400;
  const phema = new PowerEma([tf.zeros([3])], { stds: [0.05, 0.1], every: 20 });
  for (let s = 1; s <= steps; s++) {
    const w = tf.tensor1d(trajectory(s));
    phema.update([w]);
    w.dispose();
  }
  // ||theta||_{L2[0, steps]} of the piecewise-constant trajectory, per coordinate.
  const norms = [0, 1, 2].map((i) => Math.sqrt(Array.from({ length: steps }, (_, k) => trajectory(k + 1)[i] ** 2).reduce((a, b) => a + b, 0)));
  // Between the tracked stds, a little below them, and longer at an earlier step (narrower targets such as 0.03 have
  // residual bounds near 0.1: EDM2's two tracked lengths do not pin them down).
  for (const target of [{ std: 0.075 }, { std: 0.04 }, { std: 0.15, step: 300 }]) {
    const r = reconstructEma(phema.snapshots, target);
    assert.ok(Math.abs(r.coefficients.reduce((a, b) => a + b, 0) - 1) < 1e-12, "coefficients sum to 1");
    const want = exactPowerEma(trajectory, target.step ?? steps, stdToGamma(target.std));
    const got = Array.from(r.weights[0].dataSync());
    got.forEach((v, i) => {
      // Cauchy-Schwarz bound on the profile residual, plus float32 rounding of the sum of 40 snapshots.
      const bound = r.residual * norms[i] + 1e-4;
      assert.ok(Math.abs(v - want[i]) <= bound, `${JSON.stringify(target)} coord ${i}: ${v} vs ${want[i]} (bound ${bound})`);
      // The bound is informative: small against the trajectory's ranges (4, 2 and 1 for the three coordinates).
      assert.ok(bound < 0.06, `${JSON.stringify(target)}: residual bound ${bound} is too loose to test anything`);
    });
    r.weights.forEach((w) => w.dispose());
  }
  // A target equal to a snapshot's own profile is that snapshot.
  const snap = phema.snapshots[17];
  const c = posthocCoefficients(phema.snapshots, { gamma: snap.gamma, step: snap.step });
  assert.ok(c.residual < 1e-6, `residual ${c.residual}`);
  const r = reconstructEma(phema.snapshots, { gamma: snap.gamma, step: snap.step });
  const a = Array.from(r.weights[0].dataSync()), b = Array.from(snap.weights[0].dataSync());
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4, `coord ${i}: ${v} vs ${b[i]}`));
  r.weights.forEach((w) => w.dispose());
  assert.throws(() => posthocCoefficients(phema.snapshots, { std: 0.1, gamma: 3 }), /posthocCoefficients: argument 'target' must give exactly one of std and gamma/);
  assert.throws(() => posthocCoefficients([], { std: 0.1 }), /posthocCoefficients: argument 'snapshots' must be a non-empty array/);
  phema.dispose();
});

test("runTrainer and trainScore take snapshots through opts.phema; a tracker of other shapes is refused before any step", async () => {
  await initBackend();
  const w = tf.variable(tf.tensor1d([3, -2]));
  const phema = new PowerEma([w], { stds: [0.1], every: 20 });
  await runTrainer({ fn: "quadratic", variables: [w], steps: 60, lr: 0.05, phema, batch: () => () => tf.sum(tf.square(w)) as tf.Scalar });
  assert.equal(phema.steps, 60);
  assert.deepEqual(phema.snapshots.map((s) => s.step), [20, 40, 60]);
  const last = reconstructEma(phema.snapshots, { std: 0.1 });
  assert.deepEqual(Array.from(last.weights[0].dataSync()).map((v) => v.toFixed(5)), Array.from(phema.emas[0][0].dataSync()).map((v) => v.toFixed(5)));
  last.weights.forEach((t) => t.dispose());

  const other = new PowerEma([tf.zeros([3])], { every: 5 });
  const kept = Array.from(w.dataSync());
  await assert.rejects(runTrainer({ fn: "quadratic", variables: [w], steps: 5, lr: 0.05, phema: other, batch: () => () => tf.sum(tf.square(w)) as tf.Scalar }),
    /quadratic: argument 'opts\.phema' must track the 1 tensors of shapes \[3\]/);
  assert.deepEqual(Array.from(w.dataSync()), kept, "weights untouched");

  const rng = new Rng(3);
  const model = mlpScoreNet(vpSDE(), [2], rng, { width: 16, depth: 1 });
  const tracker = new PowerEma(model.variables, { stds: [0.05, 0.1], every: 5 });
  const data = rng.normal([64, 2]);
  await trainScore(model, data, { steps: 10, rng, batchSize: 16, phema: tracker });
  assert.deepEqual(tracker.snapshots.map((s) => s.step), [5, 5, 10, 10]);
  tf.dispose([w, data]);
  [phema, other, tracker].forEach((p) => p.dispose());
  model.dispose();
});

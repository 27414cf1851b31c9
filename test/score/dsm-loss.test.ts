// The DSM loss (src/score/dsm-loss.ts): each weighting against the same loss computed in score space, and the
// plain loss of a network that outputs zero, which is the mean square of its target.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { SCORE_PARAMS } from "../../src/score/parameterisation";
import { mlpScoreNet } from "../../src/score/score-net";
import { dsmLoss } from "../../src/score/dsm-loss";

const T = [0.002, 0.05, 0.3, 0.7, 1];

test("each weighting of dsmLoss equals its lambda(t) ||s_theta + eps / s||^2 computed from the score directly", async () => {
  await initBackend();
  const sde = vpSDE(), sd = 0.7;
  for (const param of SCORE_PARAMS) {
    const model = mlpScoreNet(sde, [2], new Rng(3), { width: 8, depth: 1, param, sigmaData: sd });
    // Random weights everywhere (the output layer starts at zero), so the network output is not trivial.
    const rng = new Rng(4);
    model.variables.forEach((v) => tf.tidy(() => v.assign(rng.normal(v.shape, 0, 0.5))));
    const [x0, eps] = [rng.normal([5, 2], 0, sd), rng.normal([5, 2])];
    const t = tf.tensor1d(T);
    for (const w of ["eps", "likelihood", "edm"] as const) {
      const [got, want] = tf.tidy(() => {
        const { scale, std } = sde.marginal(t);
        const a = tf.reshape(scale, [5, 1]), s = tf.reshape(std, [5, 1]);
        const xt = tf.add(tf.mul(a, x0), tf.mul(s, eps));
        const r2 = tf.add(tf.mul(tf.square(a), sd * sd), tf.square(s));
        const lambda = w === "eps" ? tf.square(s) : w === "likelihood" ? tf.reshape(tf.square(sde.diffusion(t)), [5, 1]) : tf.div(tf.mul(r2, tf.square(s)), tf.mul(tf.square(a), sd * sd));
        const direct = tf.mean(tf.mul(lambda, tf.square(tf.add(model.scoreWith(xt, t, "raw"), tf.div(eps, s)))));
        return [dsmLoss(model, x0, t, eps, w).dataSync()[0], direct.dataSync()[0]];
      });
      // Relative 1e-3: the two differ by float32 rounding of scores up to 1/s(0.002) ~ 16.
      assert.ok(Math.abs(got - want) <= 1e-3 * want, `${param} ${w}: ${got} vs ${want}`);
    }
    tf.dispose([x0, eps, t]);
    model.dispose();
  }
});

test("the param weighting of a zero-output eps network is the mean of eps^2, whatever x0 and t", async () => {
  await initBackend();
  // The output layer starts at zero, so F = 0 and the loss is mean((0 - eps)^2).
  const model = mlpScoreNet(vpSDE(), [3], new Rng(1), { width: 4, depth: 1 });
  const rng = new Rng(2);
  const [x0, eps, t] = [rng.normal([4, 3]), rng.normal([4, 3]), tf.tensor1d([0.01, 0.2, 0.6, 1])];
  const e = Array.from(eps.dataSync());
  const want = e.reduce((s, v) => s + v * v, 0) / e.length;
  const got = tf.tidy(() => dsmLoss(model, x0, t, eps).dataSync()[0]);
  // float32 mean of 12 squares of O(1): relative 1e-6 is above its rounding.
  assert.ok(Math.abs(got - want) <= 1e-6 * want, `${got} vs ${want}`);
  assert.equal(tf.tidy(() => dsmLoss(model, x0, t, eps, "eps").dataSync()[0]), got, "eps weighting of an eps model is the plain loss");
  tf.dispose([x0, eps, t]);
  model.dispose();
});

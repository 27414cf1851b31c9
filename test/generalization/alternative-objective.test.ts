import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score";
import { gapMonitor } from "../../src/generalization/gap";
import { gapNoiseLoss, trainGapObjective } from "../../src/generalization/alternative-objective";

test("gap objective: at u = 0 it is the DSM eps loss; training lowers it; gapMonitor records the curve", async () => {
  await initBackend();
  const sde = vpSDE();
  const rng = new Rng(32);
  const model = mlpScoreNet(sde, [2], new Rng(5), { width: 32, depth: 2 });
  const x0 = rng.normal([64, 2]); const t = rng.uniform([64], 0.01, 1); const eps = rng.normal([64, 2]); const xi = rng.normal([64, 2]);
  // u = 0: s = 0, x_s = x0, s_{t|s} = s_t, ratio 1: the loss is || eps_hat(a x0 + s xi) - xi ||^2, DSM's.
  const l0 = gapNoiseLoss(model, x0, t, tf.zeros([64]), eps, xi).dataSync()[0];
  const direct = tf.tidy(() => {
    const { scale, std } = sde.marginal(t);
    const xt = tf.add(tf.mul(x0, scale.reshape([64, 1])), tf.mul(xi, std.reshape([64, 1])));
    return tf.mean(tf.square(tf.sub(model.epsilon(xt, t, "raw"), xi))).dataSync()[0];
  });
  assert.ok(Math.abs(l0 - direct) < 1e-5, `${l0} vs ${direct}`);
  const data = tf.add(tf.mul(rng.normal([256, 2]), 0.1), 2);
  const test = tf.add(tf.mul(rng.normal([256, 2]), 0.1), 2);
  const mon = gapMonitor(model, sde, data, test, { every: 40, bins: 3, rng: new Rng(6) });
  const before = tf.memory().numTensors;
  const res = await trainGapObjective(model, data, { steps: 120, rng: new Rng(7), lr: 3e-3, onStep: mon.onStep, ema: 0 });
  assert.equal(tf.memory().numTensors, before);
  const head = res.history.slice(0, 20).reduce((a, b) => a + b) / 20; const tail = res.history.slice(-20).reduce((a, b) => a + b) / 20;
  assert.ok(tail < head, `loss ${head} -> ${tail}`);
  assert.deepEqual(mon.records.map((r) => r.step), [40, 80, 120]);
  // Learning the data's location shrinks the held-out DSM loss too (data concentrated at (2, 2) far from 0).
  assert.ok(mon.records[2].meanTest < mon.records[0].meanTest, `${mon.records[0].meanTest} -> ${mon.records[2].meanTest}`);
  model.dispose(); tf.dispose([x0, t, eps, xi, data, test]);
});

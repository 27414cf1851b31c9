import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score/score-net";

test("the score is -eps_hat / std(t) and the network input is scaled by c_in", async () => {
  await initBackend();
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [2], new Rng(0), { width: 16, depth: 2 });
  // Give the output layer non-zero weights so eps_hat is not 0.
  const outW = model.variables[model.names.indexOf("out.w")];
  outW.assign(new Rng(1).normal(outW.shape, 0, 0.3));
  const x = new Rng(2).normal([5, 2]); const t = tf.tensor1d([0.001, 0.05, 0.2, 0.6, 1]);
  const eps = model.epsilon(x, t); const s = model.score(x, t);
  const std = sde.marginal(t).std;
  const expect = tf.div(tf.neg(eps), tf.reshape(std, [5, 1]));
  const [a, b] = [s.dataSync(), expect.dataSync()];
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.abs(b[i]), `${a[i]} vs ${b[i]}`);
  tf.dispose([x, t, eps, s, std, expect]); model.dispose();
});

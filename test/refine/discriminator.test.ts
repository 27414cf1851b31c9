import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { D_CLIP, LOGIT_CLIP, mlpDiscriminator } from "../../src/refine/discriminator";

test("mlpDiscriminator: an untrained one says d = 1/2 everywhere (log ratio 0); shapes, the time input and the clip", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const x = tf.tensor2d([[0, 0], [3, -1], [100, 50]]), t = tf.tensor1d([0.1, 0.5, 1]);
  const timed = mlpDiscriminator(2, new Rng(0), { width: 8, depth: 2 });
  const plain = mlpDiscriminator(2, new Rng(0), { width: 8, depth: 1, timeConditioned: false });
  // The zero output layer makes every logit exactly 0 before training.
  assert.deepEqual(tf.tidy(() => Array.from(timed.logit(x, t).dataSync())), [0, 0, 0]);
  assert.deepEqual(tf.tidy(() => Array.from(plain.logit(x).dataSync())), [0, 0, 0]);
  // 2 hidden layers (w, b each), an output layer; the time-conditioned one has no extra variables for the fixed embedding.
  assert.equal(timed.variables.length, 6);
  assert.equal(plain.variables.length, 4);
  assert.deepEqual(timed.variables[0].shape, [2 + 16, 8]);
  assert.deepEqual(plain.variables[0].shape, [2, 8]);
  // prob clips d to [D_CLIP, 1 - D_CLIP]: a huge output layer bias saturates at the clip, whose log odds is LOGIT_CLIP.
  tf.tidy(() => plain.variables[3].assign(tf.tensor1d([50])));
  const d = tf.tidy(() => plain.prob(x).dataSync());
  assert.ok(d.every((v) => Math.abs(v - (1 - D_CLIP)) < 1e-6));
  assert.ok(Math.abs(LOGIT_CLIP - Math.log((1 - 1e-5) / 1e-5)) < 1e-12);
  assert.throws(() => timed.logit(x), /Discriminator.logit: argument 't' is required/);
  assert.throws(() => tf.tidy(() => plain.logit(tf.zeros([2, 3]))), /Discriminator.logit: argument 'x' must have shape \[n, 2\]/);
  assert.throws(() => mlpDiscriminator(2, new Rng(0), { width: 0 }), /mlpDiscriminator: argument 'opts.width'/);
  assert.throws(() => mlpDiscriminator(2, 3 as never), /mlpDiscriminator: argument 'rng' must be an Rng/);
  timed.dispose(); plain.dispose(); tf.dispose([x, t]);
  assert.equal(tf.memory().numTensors, before);
});

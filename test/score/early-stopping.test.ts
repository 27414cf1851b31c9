import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score";
import { tailDrop, trainEarlyStopped } from "../../src/score/early-stopping";
import { cloneScoreNet } from "../../src/score/copy-weights";

test("early stopping keeps the best validation weights: a diverging run stops after `patience` and restores the start", async () => {
  await initBackend();
  const sde = vpSDE();
  const start = mlpScoreNet(sde, [2], new Rng(1), { width: 16, depth: 2 });
  const model = cloneScoreNet(start);
  const train = new Rng(3).normal([32, 2]);
  const val = new Rng(4).normal([8, 2]);
  const before = tf.memory().numTensors;
  // lr 3 with Adam moves every weight by ~3 a step: the validation loss only gets worse, so step 0 stays best.
  const r = await trainEarlyStopped(model, train, val, { maxSteps: 500, rng: new Rng(5), evalEvery: 5, patience: 2, lr: 3, ema: 0 });
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  assert.equal(r.bestStep, 0);
  assert.equal(r.steps, 10, "two evaluations without improvement, then stop");
  assert.deepEqual(r.valHistory.map((h) => h.step), [0, 5, 10]);
  const x = tf.tensor2d([[0.3, -0.2], [1, 0.5]]);
  const t = tf.tensor1d([0.1, 0.7]);
  const a = start.score(x, t).dataSync();
  const b = model.score(x, t).dataSync();
  a.forEach((v, i) => assert.equal(b[i], v));
  tf.dispose([train, val, x, t]);
  start.dispose();
  model.dispose();
});

test("early stopping on learnable data keeps a later, better step", async () => {
  await initBackend();
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [2], new Rng(1), { width: 32, depth: 2 });
  const train = new Rng(3).normal([64, 2]).mul(0.1).add(2);
  const val = new Rng(4).normal([16, 2]).mul(0.1).add(2);
  const r = await trainEarlyStopped(model, train, val, { maxSteps: 200, rng: new Rng(5), evalEvery: 20, patience: 3 });
  const min = Math.min(...r.valHistory.map((h) => h.loss));
  assert.equal(r.bestLoss, min);
  assert.equal(r.valHistory.find((h) => h.loss === min)!.step, r.bestStep);
  assert.ok(r.bestStep > 0 && r.bestLoss < r.valHistory[0].loss);
  tf.dispose([train, val]);
  model.dispose();
});

test("trainEarlyStopped rejects what does not fit", async () => {
  await initBackend();
  const sde = vpSDE();
  const a = mlpScoreNet(sde, [2], new Rng(1), { width: 16, depth: 2 });
  const x = tf.zeros([4, 3]);
  await assert.rejects(trainEarlyStopped(a, tf.zeros([4, 2]), x, { maxSteps: 5, rng: new Rng(0) }), /trainEarlyStopped: argument 'val' must have shape/);
  await assert.rejects(trainEarlyStopped(a, tf.zeros([4, 2]), tf.zeros([4, 2]), { maxSteps: 5, rng: new Rng(0), onStep: 1 as never }), /trainEarlyStopped: argument 'opts.onStep' must be a function/);
  tf.dispose(x);
  a.dispose();
});

test("stoppedBy says patience, cap or signal, and tailDrop how far the best loss still fell at the end", async () => {
  await initBackend();
  // tailDrop by hand: running best 10, 9, 9, 8 over the last 2 evaluations: from 9 (step index 1) to 8 -> 1/9.
  assert.equal(tailDrop([{ loss: 10 }, { loss: 9 }, { loss: 9.5 }, { loss: 8 }], 2), 1 / 9);
  assert.equal(tailDrop([{ loss: 5 }, { loss: 6 }, { loss: 7 }], 2), 0);
  const sde = vpSDE();
  const train = new Rng(3).normal([64, 2]).mul(0.1).add(2);
  const val = new Rng(4).normal([16, 2]).mul(0.1).add(2);
  const model = mlpScoreNet(sde, [2], new Rng(1), { width: 32, depth: 2 });
  // 20 steps from a random start on a learnable target: the loss is still falling when the cap ends it.
  const capped = await trainEarlyStopped(model, train, val, { maxSteps: 20, rng: new Rng(5), evalEvery: 5, patience: 3, ema: 0 });
  assert.equal(capped.stoppedBy, "cap");
  assert.equal(capped.steps, 20);
  assert.ok(capped.tailDrop > 0, `${capped.tailDrop}`);
  const diverging = await trainEarlyStopped(model, train, val, { maxSteps: 500, rng: new Rng(5), evalEvery: 5, patience: 2, lr: 3, ema: 0 });
  assert.equal(diverging.stoppedBy, "patience");
  assert.equal(diverging.tailDrop, 0);
  const ac = new AbortController();
  ac.abort();
  const aborted = await trainEarlyStopped(model, train, val, { maxSteps: 500, rng: new Rng(5), evalEvery: 5, signal: ac.signal });
  assert.equal(aborted.stoppedBy, "signal");
  assert.deepEqual([aborted.steps, aborted.stopped, capped.stopped, diverging.stopped], [0, true, false, false], "stopped is the caller's abort only");
  tf.dispose([train, val]);
  model.dispose();
});

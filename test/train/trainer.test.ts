import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score";
import { mlpDiscriminator, trainDiscriminator } from "../../src/refine";
import { trainGapObjective } from "../../src/generalization";
import { fuse } from "../../src/fusion";
import { gaussianScore } from "../../src/score/exact";
import { runTrainer } from "../../src/train";

const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

test("runTrainer: Adam fits a quadratic, reports {step, total, loss, gradNorm}, keeps an EMA and frees its tensors", async () => {
  await initBackend();
  const w = tf.variable(tf.tensor1d([3, -2]));
  const ema = tf.variable(tf.clone(w));
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const r = await runTrainer({
    fn: "quadratic", variables: [w], steps: 200, lr: 0.05, ema: { vars: [ema], decay: 0.9 }, every: 50,
    onStep: (p) => { seen.push(p.step); assert.equal(p.total, 200); assert.ok(Number.isFinite(p.loss!) && Number.isFinite(p.gradNorm!)); },
    batch: () => () => tf.sum(tf.square(w)) as tf.Scalar,
  });
  assert.deepEqual(seen, [50, 100, 150, 200]);
  assert.equal(r.steps, 200); assert.equal(r.stopped, false); assert.equal(r.history.length, 200);
  assert.ok(r.history[199] < 1e-2 * r.history[0], `${r.history[0]} -> ${r.history[199]}`);
  assert.ok(values([ema])[0].every((v) => Math.abs(v) < 0.5), "the EMA followed the weights");
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  tf.dispose([w, ema]);
});

test("runTrainer: an abort returns stopped with the steps done; a NaN loss restores the last finite weights and throws", async () => {
  await initBackend();
  const w = tf.variable(tf.tensor1d([1, 1]));
  const ac = new AbortController();
  const r = await runTrainer({
    fn: "quadratic", variables: [w], steps: 100, lr: 0.01, signal: ac.signal,
    onStep: (p) => { if (p.step === 3) ac.abort(); }, batch: () => () => tf.sum(tf.square(w)) as tf.Scalar,
  });
  assert.equal(r.stopped, true); assert.equal(r.steps, 3);
  let good: number[][] = [];
  await assert.rejects(runTrainer({
    fn: "quadratic", variables: [w], steps: 100, lr: 0.01, clipNorm: 1,
    onStep: (p) => { if (p.step === 4) good = values([w]); if (p.step === 5) w.assign(tf.fill([2], NaN)); },
    batch: () => () => tf.sum(tf.square(w)) as tf.Scalar,
  }), /quadratic: the loss became NaN .* at step 6; training stopped and the weights were restored .*opts\.lr, currently 0\.01, or opts\.clipNorm/);
  assert.deepEqual(values([w]), good);
  w.dispose();
});

// Before the one loop, these trainers applied the update and then threw on a NaN, leaving the diverged weights.
test("trainGapObjective and trainDiscriminator now stop on a NaN with the last finite weights, as trainScore", async () => {
  await initBackend();
  const data = new Rng(1).normal([128, 2]);
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 16, depth: 2 });
  let good: number[][] = [];
  await assert.rejects(trainGapObjective(model, data, {
    steps: 50, rng: new Rng(2), batchSize: 32, ema: 0,
    onStep: (p) => { if (p.step === 4) good = values(model.variables); if (p.step === 5) model.variables[0].assign(tf.fill(model.variables[0].shape, NaN)); },
  }), /trainGapObjective: the loss became NaN .* at step 6; .*restored/);
  assert.deepEqual(values(model.variables), good);
  model.dispose();

  const disc = mlpDiscriminator(2, new Rng(3));
  const fake = new Rng(4).normal([128, 2], 1) as tf.Tensor2D;
  await assert.rejects(trainDiscriminator(disc, data as tf.Tensor2D, fake, {
    steps: 50, rng: new Rng(5), sde: vpSDE(),
    onStep: (p) => { if (p.step === 4) good = values(disc.variables); if (p.step === 5) disc.variables[0].assign(tf.fill(disc.variables[0].shape, NaN)); },
  }), /trainDiscriminator: the loss became NaN .* at step 6; .*restored/);
  assert.deepEqual(values(disc.variables), good);
  disc.dispose();
  tf.dispose([data, fake]);
});

test("fuse's Adam fits run on the one loop: a diverging time-dependent fit throws instead of returning NaN weights", async () => {
  await initBackend();
  const sde = vpSDE();
  const a = gaussianScore(sde, [-1], [[1]]), b = gaussianScore(sde, [1], [[1]]);
  const target = new Rng(0).normal([64, 1], 0.5);
  await assert.rejects(fuse([a, b], target, { rng: new Rng(1), samples: 256, timeDependent: true, adam: { steps: 200, lr: 1e38 } }),
    /fuse: the loss became (NaN|Infinity) .*restored.*opts\.adam\.lr/);
  const ok = await fuse([a, b], target, { rng: new Rng(1), samples: 256, method: "adam", adam: { steps: 100 } });
  assert.equal(ok.stopped, false); assert.equal(ok.diagnostics.adam!.steps, 100);
  tf.dispose(target); a.dispose?.(); b.dispose?.();
});

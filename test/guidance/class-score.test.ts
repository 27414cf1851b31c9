import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { loadModel, mlpScoreNet, trainScore } from "../../src/score";
import { probabilityFlowHeun } from "../../src/sample";
import { cfgScore, classScore } from "../../src/guidance/class-score";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("a class-conditional MLP learns to separate two classes; CFG pushes them further; labels are checked", async () => {
  await initBackend();
  const rng = new Rng(21);
  const n = 512;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  // Class 0 at (-2, 0), class 1 at (2, 0), std 0.5.
  const centres = tf.tensor2d(Array.from(labels, (c) => [c === 0 ? -2 : 2, 0]));
  const data = tf.add(centres, rng.normal([n, 2], 0, 0.5));
  const sde = vpSDE();
  const model = mlpScoreNet(sde, [2], rng.fork(1), { width: 64, depth: 2, classes: 2 });
  await trainScore(model, data, { steps: 400, rng: rng.fork(2), batchSize: 128, lr: 3e-3, ema: 0.99, labels, condDropout: 0.2 });
  const meanX = async (score: typeof model.score) => {
    const x = await probabilityFlowHeun(score, sde, { n: 128, steps: 30, rng: new Rng(4), shape: [2] });
    const col = tf.slice(x, [0, 0], [-1, 1]);
    const m = tf.mean(col).dataSync()[0], pos = tf.mean(tf.cast(tf.greater(col, 0), "float32")).dataSync()[0];
    tf.dispose([x, col]);
    return { m, pos };
  };
  const c0 = await meanX(classScore(model, 0)), c1 = await meanX(classScore(model, 1)), u = await meanX(classScore(model, null));
  // An unconditional model would give both means near 0; the classes sit at -2 and +2.
  assert.ok(c0.m < -1 && c0.pos < 0.1, `class 0: mean x ${c0.m}, fraction x > 0 ${c0.pos}`);
  assert.ok(c1.m > 1 && c1.pos > 0.9, `class 1: mean x ${c1.m}, fraction x > 0 ${c1.pos}`);
  assert.ok(u.pos > 0.2 && u.pos < 0.8, `the null label is unconditional: fraction x > 0 ${u.pos}`);
  const g1 = await meanX(cfgScore(model, 1, { scale: 2 }));
  assert.ok(g1.m > c1.m, `guidance moves class 1 away from the unconditional mean: ${g1.m} vs ${c1.m}`);

  const before = model.variables.map((v) => Array.from(v.dataSync()));
  assert.throws(() => classScore(model, 2), /classScore: argument 'label' must be an integer class in \[0, 2\) or null/);
  assert.throws(() => cfgScore(model, 0, { scale: Number.NaN }), /classifierFreeGuidance: argument 'opts\.scale' must be a finite number/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng, labels: labels.map((c) => c * 3) }), /trainScore: argument 'opts\.labels\[1\]' must be an integer class in \[0, 2\)/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng }), /trainScore: argument 'opts\.labels' must give one label in \[0, 2\) per data row/);
  assert.deepEqual(model.variables.map((v) => Array.from(v.dataSync())), before, "a refused call leaves the weights untouched");
  const plain = mlpScoreNet(sde, [2], rng, { width: 8, depth: 1 });
  assert.throws(() => classScore(plain, 0), /classScore: argument 'model' must be class-conditional/);

  // A checkpoint keeps the classes and the label table.
  const dir = mkdtempSync(join(tmpdir(), "scorelab-cond-"));
  try {
    await model.save(dir);
    const back = await loadModel(dir);
    assert.equal(back.classes, 2);
    const x = rng.normal([8, 2]), t = tf.fill([8], 0.3);
    assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(back.scoreWith(x, t, undefined, 1), model.scoreWith(x, t, undefined, 1)))).dataSync()[0]) < 1e-6);
    tf.dispose([x, t]);
    back.dispose();
  } finally { rmSync(dir, { recursive: true, force: true }); }
  tf.dispose([centres, data]);
  model.dispose(); plain.dispose();
});

test("classScore and cfgScore are the model's own conditional scores and their (1 + w) / -w combination", async () => {
  await initBackend();
  const rng = new Rng(8);
  const model = mlpScoreNet(vpSDE(), [2], rng.fork(1), { width: 8, depth: 1, classes: 3 });
  const x = rng.normal([5, 2]), t = tf.tensor1d([0.1, 0.3, 0.5, 0.7, 0.9]);
  const c2 = model.scoreWith(x, t, undefined, 2), u = model.scoreWith(x, t, undefined, null);
  const s = classScore(model, 2)(x, t), g = cfgScore(model, 2, { scale: 1.5 })(x, t);
  const want = tf.sub(tf.mul(c2, 2.5), tf.mul(u, 1.5));
  const off = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  // classScore calls scoreWith itself: bit-for-bit; the combination is float32 arithmetic on scores of order 1.
  assert.equal(off(s, c2), 0);
  assert.ok(off(g, want) < 1e-5, `cfgScore off by ${off(g, want)}`);
  assert.throws(() => cfgScore(model, null, { scale: 1 }), /cfgScore: argument 'label' must be a class/);
  assert.throws(() => classScore(model, undefined as never), /classScore: argument 'label' must be a class, one class per row, or null/);
  assert.throws(() => classScore({} as never, 0), /classScore: argument 'model' must be a ScoreNet/);
  tf.dispose([x, t, c2, u, s, g, want]);
  model.dispose();
});

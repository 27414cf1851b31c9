import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, trainScore } from "../../src/score";
import { cloneScoreNet } from "../../src/score/copy-weights";

test("cloneScoreNet scores exactly as its source (time-embedding frequencies included) and trains apart from it", async () => {
  await initBackend();
  const sde = vpSDE();
  const src = mlpScoreNet(sde, [2], new Rng(1), { width: 16, depth: 2 });
  // A fresh network's output layer starts at zero, so every fresh network scores alike: give src random weights,
  // so that a copy with other embedding frequencies (another seed's) would score differently.
  const r = new Rng(3);
  src.variables.forEach((v) => { const w = r.normal(v.shape, 0, 0.3); v.assign(w); w.dispose(); });
  const x = tf.tensor2d([[0.3, -0.2], [1, 0.5]]);
  const t = tf.tensor1d([0.1, 0.7]);
  const other = mlpScoreNet(sde, [2], new Rng(2), { width: 16, depth: 2 });
  other.variables.forEach((v, i) => v.assign(src.variables[i]));
  const a = src.score(x, t).dataSync();
  const wrongFreqs = other.score(x, t).dataSync();
  assert.ok(wrongFreqs.some((v, i) => v !== a[i]), "the same weights under another seed's embedding score differently");
  const copy = cloneScoreNet(src);
  copy.score(x, t).dataSync().forEach((v, i) => assert.equal(v, a[i]));
  const data = new Rng(4).normal([32, 2]);
  await trainScore(copy, data, { steps: 3, batchSize: 16, rng: new Rng(5) });
  src.score(x, t).dataSync().forEach((v, i) => assert.equal(v, a[i], "training the copy leaves the source as it was"));
  assert.throws(() => cloneScoreNet({} as never), /cloneScoreNet: argument 'src' must be a ScoreNet/);
  tf.dispose([x, t, data]);
  [src, other, copy].forEach((m) => m.dispose());
});

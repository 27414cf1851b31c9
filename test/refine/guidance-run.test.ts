import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample";
import { STUDY_MODEL, modeWeightError } from "../../src/refine/generalization-run";
import { guidanceRun } from "../../src/refine/guidance-run";

test("guidanceRun: at w = 0 its samples are the base sampler's (common random numbers); rows per w; bad input", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const rows = await guidanceRun({ seed: 0, ws: [0, 1], steps: 20, trainSize: 100, testSize: 100, samplerSteps: 10 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(rows.map((r) => `${r.w}/${r.metric}`), ["0/mode_weight_error", "0/sliced_w2", "1/mode_weight_error", "1/sliced_w2"]);
  // w = 0 switches guidance off, and every w shares the sampler noise rng(1000 + seed).fork(6): the unguided
  // sampler with that noise gives the same samples, so the same mode-weight error exactly.
  const sde = vpSDE();
  const x = await eulerMaruyama(mixtureScore(sde, new GaussianMixture(STUDY_MODEL)).score, sde, { n: 100, steps: 10, rng: new Rng(1000).fork(6), shape: [2] });
  assert.equal(rows[0].value, modeWeightError(x as tf.Tensor2D));
  x.dispose();
  assert.ok(rows.every((r) => Number.isFinite(r.value) && r.value >= 0));
  await assert.rejects(guidanceRun({ seed: 0, ws: [], steps: 1, trainSize: 2, testSize: 2, samplerSteps: 1 }), /guidanceRun: argument 'opts.ws'/);
  await assert.rejects(guidanceRun({ seed: 0, ws: [-1], steps: 1, trainSize: 2, testSize: 2, samplerSteps: 1 }), /guidanceRun: argument 'opts.ws\[0\]'/);
});

// predictorCorrector (src/sample/predictor-corrector.ts; Song et al. 2021, Alg. 2 and 3).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { vpSDE } from "../../src/sde/sde";
import { gaussianScore } from "../../src/score/exact";
import { predictorCorrector } from "../../src/sample/predictor-corrector";
import { N, gaussianTargetTests } from "./gaussian-target";

gaussianTargetTests({ name: "predictorCorrector", steps: 100, klMax: 0, run: (m, sde, rng, d) => predictorCorrector(m.score, sde, { n: N, steps: 100, rng, shape: [d], snr: 0.16, correctorSteps: 1 }) });

test("bad predictor-corrector options name the argument", async () => {
  const vp = vpSDE();
  const m = gaussianScore(vp, [0, 0]);
  const ok = { n: 4, steps: 3, rng: new Rng(0), shape: [2] };
  await assert.rejects(predictorCorrector(m.score, vp, { ...ok, snr: -1 }), /predictorCorrector: argument 'opts.snr'/);
  await assert.rejects(predictorCorrector(m.score, vp, { ...ok, correctorSteps: -1 }), /predictorCorrector: argument 'opts.correctorSteps'/);
  m.dispose();
});

const score = (x: tf.Tensor) => tf.neg(x);

test("predictorCorrector refuses correctorSteps = 1e12 with an Error", async () => {
  await initBackend();
  const sde = vpSDE();
  await assert.rejects(predictorCorrector(score, sde, { n: 2, steps: 2, correctorSteps: 1e12, rng: new Rng(0), shape: [2] }), /correctorSteps/);
});

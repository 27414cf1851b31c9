import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import type { ScoreFn } from "../../src/sde/types";
import { mixtureScore, mlpScoreNet, trainScore } from "../../src/score";
import { eulerMaruyama } from "../../src/sample";
import { ring8, slicedW1 } from "./helpers";

test("an MLP trained by DSM on an 8-Gaussian ring samples close to it (VP SDE, Euler–Maruyama sampler)", async () => {
  await initBackend();
  const sde = vpSDE();
  const gmm = ring8();
  const data = gmm.sample(4096, new Rng(1));
  const model = mlpScoreNet(sde, [2], new Rng(2), { width: 128, depth: 3 });
  const n = 1000, steps = 200;
  const em = (score: ScoreFn) => eulerMaruyama(score, sde, { n, steps, rng: new Rng(3), shape: [2] });
  const untrainedSample = await em(model.score);
  const t0 = performance.now();
  const { history, seconds } = await trainScore(model, data, { steps: Number(process.env.STEPS ?? 1200), rng: new Rng(4), batchSize: 256, lr: 2e-3, ema: 0.995 });
  const trainedSample = await em(model.score);
  const exactSample = await em(mixtureScore(sde, gmm).score);
  const fresh = gmm.sample(n, new Rng(5));
  const fresh2 = gmm.sample(n, new Rng(6));
  const d = (x: tf.Tensor) => slicedW1(x, fresh, new Rng(7));
  const [dUntrained, dTrained, dExact, dNoise] = [d(untrainedSample), d(trainedSample), d(exactSample), d(fresh2)];
  console.log(`train ${seconds.toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s; loss ${history[0].toFixed(3)} -> ${history.at(-1)!.toFixed(3)}; SW1 untrained ${dUntrained.toFixed(3)} trained ${dTrained.toFixed(3)} exact ${dExact.toFixed(3)} two target samples ${dNoise.toFixed(3)}`);
  // The exact-score sampler shows what the discretisation (200 steps) and finite samples (1000) alone cost; a
  // trained network should add little to it. The untrained model samples close to the prior N(0, I), far from
  // the ring. Thresholds: trained within 3x the exact sampler's distance and under a third of the untrained one.
  assert.ok(dTrained < dUntrained / 3, `trained ${dTrained} vs untrained ${dUntrained}`);
  assert.ok(dTrained < 3 * dExact, `trained ${dTrained} vs exact ${dExact}`);
  tf.dispose([data, untrainedSample, trainedSample, exactSample, fresh, fresh2]);
  model.dispose();
});

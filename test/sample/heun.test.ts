// probabilityFlowHeun (src/sample/heun.ts): Heun's method on the probability-flow ODE.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { probabilityFlowHeun } from "../../src/sample/heun";
import { N, gaussianTargetTests } from "./gaussian-target";
import { memorizationSetting, nearest } from "./memorization";

gaussianTargetTests({ name: "probabilityFlowHeun", law: "heun", steps: 60, klMax: 5e-3, run: (m, sde, rng, d) => probabilityFlowHeun(m.score, sde, { n: N, steps: 60, rng, shape: [d] }) });

test("the empirical optimal score with the ODE sampler memorizes: samples land on training points", async () => {
  const { sde, data, m } = await memorizationSetting();
  const x = await probabilityFlowHeun(m.score, sde, { n: 400, steps: 100, rng: new Rng(22), shape: [2] });
  const dist = nearest(x, data).sort((a, b) => a - b);
  // The ODE carries the prior to p_tMin = (1/16) sum_j N(a y_j, s^2 I) with s(tMin) = 0.0105: a sample of that law
  // is within 3.03 s of its centre with probability 0.99 and within 1.18 s with probability 0.5 (chi with 2
  // degrees of freedom). Random points of the data's spread would be ~0.3 from the nearest of 16 points.
  const s = sde.marginalAt(sde.tMin).std;
  assert.ok(dist[Math.floor(0.95 * dist.length)] < 3.2 * s, `95th percentile distance ${dist[Math.floor(0.95 * dist.length)]}`);
  assert.ok(dist[200] < 1.6 * s, `median distance ${dist[200]}`);
  tf.dispose([data, x]); m.dispose();
});

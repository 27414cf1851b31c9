/**
 * Kernel coverage of the torch backend: the library's workloads (training an MLP and a U-Net, every sampler, the
 * likelihood, the metrics) run under a recorder on tfjs's reference cpu backend, and every kernel they reach must
 * be registered for torch — a missing one would otherwise surface only when a user reaches it. Then the same
 * workloads run on torch.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "../../src/tensor";
import { activateTorch } from "../../src/tensor/torch";
import { veSDE, vpSDE } from "../../src/sde";
import { mlpScoreNet, trainScore, unetScoreNet } from "../../src/score";
import { ddim, eulerMaruyama, logLikelihood, predictorCorrector, probabilityFlowHeun } from "../../src/sample";
import { energyDistance, mmd2, nearestNeighbours, slicedWasserstein } from "../../src/metrics";

async function workloads(): Promise<void> {
  const rng = new Rng(0);
  for (const sde of [vpSDE(), veSDE()]) {
    const data = rng.normal([64, 2]);
    const mlp = mlpScoreNet(sde, [2], rng);
    await trainScore(mlp, data, { steps: 3, rng, batchSize: 16, ema: 0.9 });
    const opts = { n: 8, steps: 4, rng, shape: [2] };
    tf.dispose([await eulerMaruyama(mlp.score, sde, opts), await probabilityFlowHeun(mlp.score, sde, opts),
      await predictorCorrector(mlp.score, sde, opts)]);
    if (sde.kind === "vp") tf.dispose(await ddim(mlp.score, sde, opts));
    const x = rng.normal([4, 2]);
    await logLikelihood(mlp.score, sde, x, { steps: 4 });
    await logLikelihood(mlp.score, sde, x, { steps: 4, divergence: "hutchinson", rng });
    tf.dispose([data, x]);
  }
  const images = rng.normal([16, 64]);
  const unet = unetScoreNet(vpSDE(), [8, 8], rng, { channels: 4, groups: 2 });
  await trainScore(unet, images, { steps: 2, rng, batchSize: 4 });
  tf.dispose(await eulerMaruyama(unet.score, vpSDE(), { n: 2, steps: 2, rng, shape: [64] }));
  const a = rng.normal([32, 3]) as tf.Tensor2D, b = rng.normal([24, 3]) as tf.Tensor2D;
  mmd2(a, b); energyDistance(a, b); slicedWasserstein(a, b, { rng, projections: 8 }); nearestNeighbours(a, b, { k: 2 });
  tf.dispose([images, a, b]);
}

test("every kernel the library's workloads reach on the reference backend is registered for torch, and they run there", async () => {
  await activateTorch("cpu");
  await tf.setBackend("cpu");
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const original = engine.runKernel;
  const reached = new Set<string>();
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) { reached.add(name); return original.call(this, name, ...rest); };
  try { await workloads(); } finally { engine.runKernel = original; }
  assert.ok(reached.size > 30, `the recorder saw only ${reached.size} kernels`);
  const missing = [...reached].filter((k) => !tf.getKernel(k, "torch")).sort();
  assert.deepEqual(missing, [], `kernels with no torch implementation: ${missing.join(", ")}`);
  await tf.setBackend("torch");
  const before = tf.memory().numTensors;
  await workloads();
  assert.equal(tf.getBackend(), "torch");
  assert.ok(tf.memory().numTensors - before < 200, "the workloads' models hold their variables; nothing else should stay");
});

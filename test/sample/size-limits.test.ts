import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { ddim, eulerMaruyama, logLikelihood, predictorCorrector, probabilityFlowHeun, timeGrid } from "../../src/sample";

const score = (x: tf.Tensor) => tf.neg(x);

test("steps = 1e12 is refused with an Error before any grid is built (it used to abort the process)", async () => {
  await initBackend();
  const sde = vpSDE();
  assert.throws(() => timeGrid(sde, 1e12), /timeGrid: argument 'steps' must be <= 1000000/);
  const samplers = { eulerMaruyama, probabilityFlowHeun, predictorCorrector, ddim } as Record<string, (s: typeof score, e: typeof sde, o: object) => Promise<unknown>>;
  for (const [name, s] of Object.entries(samplers)) {
    await assert.rejects(s(score, sde, { n: 2, steps: 1e12, rng: new Rng(0), shape: [2] }), new RegExp(`${name}: argument 'opts.steps' must be <= 1000000`));
  }
  await assert.rejects(predictorCorrector(score, sde, { n: 2, steps: 2, correctorSteps: 1e12, rng: new Rng(0), shape: [2] }), /correctorSteps/);
  const x = tf.zeros([2, 2]);
  try {
    await assert.rejects(logLikelihood(score, sde, x, { steps: 1e12 }), /logLikelihood: argument 'opts.steps' must be <= 1000000/);
  } finally { x.dispose(); }
  // The limit itself is accepted by the grid (1e6 + 1 numbers).
  assert.equal(timeGrid(sde, 1e6).length, 1e6 + 1);
});

test("sampler n * dim past 2^28 elements is refused (the wasm heap would wrap); 10,000 x 784 passes validation", async () => {
  await initBackend();
  const sde = vpSDE();
  await assert.rejects(eulerMaruyama(score, sde, { n: 1e6, steps: 1, rng: new Rng(0), shape: [1e6] }), /eulerMaruyama: argument 'opts.n' gives 1000000000000 elements, more than the limit/);
  // A real size is not refused: an aborted signal stops it before the first step, after validation.
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(eulerMaruyama(score, sde, { n: 10_000, steps: 1, rng: new Rng(0), shape: [784], signal: ac.signal }), (e: Error) => e.name === "AbortError");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { gaussianKL } from "../../src/bounds/gaussian";
import { GAUSSIAN_TARGET, STANDARD_SOURCE, flowSeed, flowSettings, type FlowSettings } from "../../src/flow/flow-seed";

/** A seed small enough for a unit test: every row kind appears, no number is expected to be good. */
const tiny: FlowSettings = { n: 16, iterations: 3, sigmaMax: 2, sigmaMin: 0.1, gaussianIterations: 4, eta: 0.01, projections: 8 };

test("flowSettings: quick mode cuts points and kernel iterations only", () => {
  const q = flowSettings(true), f = flowSettings(false);
  assert.deepEqual([q.n, q.iterations, f.n, f.iterations], [200, 60, 800, 200]);
  for (const k of ["sigmaMax", "sigmaMin", "gaussianIterations", "eta", "projections"] as const) assert.equal(q[k], f[k], k);
  assert.deepEqual(STANDARD_SOURCE, { mean: [0, 0], cov: [[1, 0], [0, 1]] });
  assert.notEqual(GAUSSIAN_TARGET.cov[0][1], 0, "the target is correlated");
});

test("flowSeed returns the study rows of both flows, the same for the same seed, and frees its tensors", async () => {
  await initBackend();
  const steps: number[] = [];
  const before = tf.memory().numTensors;
  const r = await flowSeed(3, tiny, { onStep: (p) => { steps.push(p.step); assert.equal(p.total, 7); } });
  assert.equal(tf.memory().numTensors, before, "no tensor outlives the seed");
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7], "progress counts both flows' iterations on one scale");
  assert.ok(r.rows.every((row) => row.seed === 3 && Number.isFinite(row.value)));
  const kinds = new Set(r.rows.map((row) => `${row.experiment}/${row.model}/${row.metric}`));
  for (const k of ["sdflow-kernel/sd-flow/sw-heldout", "sdflow-kernel/fresh-sample/median-nn-train", "sdflow-kernel/gaussian-fit/sw-heldout",
    "sdflow-gaussian/source/kl-sampling", "sdflow-gaussian/closed-form/cov-01", "sdflow-gaussian/sd-flow/kl-departure"]) assert.ok(kinds.has(k), k);
  // At tau = 0 the closed form starts from the particles' own fit, so the departure KL is exactly 0.
  const dep0 = r.rows.find((row) => row.metric === "kl-departure" && row.tau === 0)!;
  assert.ok(Math.abs(dep0.value) < 1e-12, `departure at tau 0: ${dep0.value}`);
  // The closed form's KL at tau = 0 is that of the fit itself, which the particles' row also reports.
  const kl0 = r.rows.filter((row) => row.metric === "kl-to-target" && row.tau === 0).map((row) => row.value);
  assert.ok(Math.abs(kl0[0] - kl0[1]) < 1e-12 && kl0[0] > gaussianKL(STANDARD_SOURCE, GAUSSIAN_TARGET) / 2);
  assert.equal(r.train.length, 16);
  assert.ok(r.snapshots.length >= 1 && r.snapshots[0].points.length === 16);
  const again = await flowSeed(3, tiny);
  assert.deepEqual(again.rows, r.rows, "a seed's rows depend on the seed only");
});

test("flowSeed: abort throws AbortError naming the step; bad seed and settings name the argument", async () => {
  await initBackend();
  const ac = new AbortController();
  await assert.rejects(flowSeed(0, tiny, { signal: ac.signal, onStep: (p) => { if (p.step === 2) ac.abort(); } }), (e: Error) => e.name === "AbortError" && /flowSeed/.test(e.message));
  await assert.rejects(flowSeed(-1, tiny), /flowSeed: argument 'seed'/);
  await assert.rejects(flowSeed(0.5, tiny), /flowSeed: argument 'seed'/);
  await assert.rejects(flowSeed(0, null as never), /flowSeed: argument 'settings' must be a FlowSettings object/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { TARGET_1D, cell1D, exactAuxiliary, heldOut1D, standardised, stats, toStd, type Setting1D } from "../../src/fusion/cell-1d";

test("standardised maps a mixture's means and variances by (m, s), and stats/toStd agree with it", async () => {
  await initBackend();
  const g = standardised(TARGET_1D, { m: 1, s: 2 });
  assert.deepEqual(g.spec.means, [[-3.5], [2.5]]);
  assert.deepEqual(g.spec.covs, [0.16, 0.16]);
  const x = tf.tensor2d([[1], [3], [5]]);
  const st = stats(x, false);
  assert.ok(Math.abs(st.m - 3) < 1e-6 && Math.abs(st.s - Math.sqrt(8 / 3)) < 1e-6);
  const z = toStd(x, st);
  const zs = stats(z, true);
  assert.ok(Math.abs(zs.m) < 1e-6 && Math.abs(zs.s - 1) < 1e-6);
  x.dispose();
});

test("cell1D runs one tiny cell on exact auxiliaries and records the baseline's stop and the weights' fit", async () => {
  await initBackend();
  const sde = vpSDE();
  const held = heldOut1D(40);
  const pooled = { m: 0, s: 6 };
  const c: Setting1D = { sde, auxiliaries: "exact", standardise: "common", pooled, ...held, sampleSize: 40, sampleSteps: 10, llMaxSteps: 32, width: 8, steps: 10, fusionTRange: [sde.tMin, 10 * sde.tMin] };
  const before = tf.memory().numTensors;
  const cell = await cell1D({ ...c, aux: [0, 1].map((k) => exactAuxiliary(sde, k, pooled)), auxW1: [1, 2] }, 20, 3);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  assert.deepEqual([...new Set(cell.rows.map((r) => r.model))], ["null (target sample)", "fused", "best-auxiliary", "target-only"]);
  assert.ok(["patience", "cap"].includes(cell.stoppedBy!["target-only"]));
  assert.ok(cell.bestSteps!["target-only"] <= 10);
  assert.ok(cell.fit!.poolShift >= 0 && cell.fit!.poolShift <= 1);
  assert.ok(Math.abs(cell.weights[0] + cell.weights[1] - 1) < 1e-9);
  held.testRaw.dispose();
});

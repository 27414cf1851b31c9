import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { ResultsTable } from "../../src/table";
import { fuse } from "../../src/fusion/fuse";
import type { FusionCell } from "../../src/fusion/seeds-on-sweep";
import { capUntested, checkStudyOptions, convergenceText, seedValues, splitTarget, weightFit } from "../../src/fusion/study-common";

const defaults = { ns: [25], seeds: [0, 1], steps: 10, auxSteps: 10 };

test("checkStudyOptions sorts and dedupes sizes and names the bad argument", () => {
  assert.deepEqual(checkStudyOptions({ ns: [400, 25, 25] }, "f", defaults).ns, [25, 400]);
  assert.throws(() => checkStudyOptions({ ns: [3] }, "f", defaults), /f: argument 'opts.ns\[0\]'/);
  assert.throws(() => checkStudyOptions({ seeds: [2, 2] }, "f", defaults), /f: argument 'opts.seeds' must not repeat/);
  assert.throws(() => checkStudyOptions(null as never, "f", defaults), /f: argument 'opts' must be an options object/);
});

test("splitTarget holds out a fifth (at least 2) and seedValues pairs by seed order", () => {
  assert.deepEqual(splitTarget(25), { fit: 20, val: 5 });
  assert.deepEqual(splitTarget(5), { fit: 3, val: 2 });
  const t = new ResultsTable();
  t.append([{ experiment: "e", dataset: "d", model: "a", metric: "bpd", n: 25, seed: 1, value: 2 }, { experiment: "e", dataset: "d", model: "a", metric: "bpd", n: 25, seed: 0, value: 1 }, { experiment: "e", dataset: "d", model: "b", metric: "bpd", n: 25, seed: 0, value: 9 }]);
  assert.deepEqual(seedValues(t, "bpd", "a", 25, [0, 1]), [1, 2]);
  assert.deepEqual(seedValues(t, "bpd", "a", 25, [1, 7]), [2]);
});

const cell = (n: number, seed: number, by: "patience" | "cap", drop: number, step: number): FusionCell => ({
  n, seed, rows: [], weights: [0.5, 0.5], unconverged: 0,
  bestSteps: { m: step }, stoppedBy: { m: by }, tailDrop: { m: drop }, fit: { kkt: 1e-12, poolShift: 0.01 * (seed + 1) },
});

test("convergenceText counts patience and cap stops per n, and capUntested lists only the (model, n) that hit the cap", () => {
  const cells = [cell(25, 0, "patience", 0, 800), cell(25, 1, "patience", 0, 1000), cell(400, 0, "cap", 0.01, 3000), cell(400, 1, "patience", 0, 2500)];
  const text = convergenceText(cells, ["m"], 4);
  // Kept steps 800 and 1000: their median is 900 (and 2500, 3000 give 2750 at n = 400).
  assert.match(text, /m: n = 25 2\/2 by patience, 0 at the cap, kept step median 900; n = 400 1\/2 by patience, 1 at the cap \(validation loss still fell 1\.00 % median over its last 4 evaluations\), kept step median 2750/);
  assert.match(text, /largest KKT violation 1\.0e-12/);
  // Pool shifts 0.01 and 0.02 (seeds 0 and 1): at most 0.020, median 0.015.
  assert.match(text, /move by at most 0\.020 \(median 0\.015\)/);
  const un = capUntested(cells, ["m"], 4);
  assert.equal(un.length, 1);
  assert.match(un[0], /^a converged m baseline at n = 400: 1 of 2 runs ended at the step cap, their validation loss still falling 1\.00 %/);
  assert.equal(convergenceText([], ["m"], 4), "");
});

test("weightFit: the exact fused family's weights barely move on a pool twice the size", async () => {
  await initBackend();
  const sde = vpSDE();
  const a = gaussianScore(sde, [-2]);
  const b = gaussianScore(sde, [2]);
  // Target N(0.4, 1) = the barycenter at weights (0.4, 0.6); with 2,048 pool draws the weights' Monte Carlo error is
  // about 0.01, so two independent pools differ by far less than 0.1.
  const x = tf.tidy(() => new Rng(3).normal([500, 1]).add(0.4));
  const opts = { samples: 2048 };
  const fused = await fuse([a, b], x, { ...opts, rng: new Rng(1) });
  const f = await weightFit(fused, [a, b], x, opts, new Rng(2));
  assert.ok(f.kkt < 1e-9, `KKT ${f.kkt}`);
  assert.ok(f.poolShift > 0 && f.poolShift < 0.1, `shift ${f.poolShift}`);
  x.dispose();
  a.dispose(); b.dispose();
});

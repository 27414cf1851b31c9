import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResultRow } from "../../src/table";
import { meanCI } from "../../src/sweep/interval";
import { samplingKL } from "../../src/flow/flow-checks";
import { copyFigure, gaussianKLFigure, heldoutFigure, snapshotsFigure } from "../../src/flow/flow-figures";

const K = { experiment: "sdflow-kernel", dataset: "ring8" };
const G = { experiment: "sdflow-gaussian", dataset: "gaussian-2d", n: 50 };
/** Two seeds of made-up study rows: per-iteration curves, final levels, copying and the Gaussian KL curves. */
const rows: ResultRow[] = [0, 1].flatMap((seed) => [
  { ...K, seed, model: "sd-flow", metric: "heldout-sw-curve", value: [1, 3][seed], iter: 0 },
  { ...K, seed, model: "sd-flow", metric: "heldout-sw-curve", value: [0.5, 0.7][seed], iter: 10 },
  { ...K, seed, model: "fresh-sample", metric: "sw-heldout", value: [0.1, 0.2][seed] },
  { ...K, seed, model: "gaussian-fit", metric: "sw-heldout", value: [0.4, 0.6][seed] },
  { ...K, seed, model: "sd-flow", metric: "sw-train", value: [0.3, 0.3][seed] },
  { ...K, seed, model: "sd-flow", metric: "median-nn-train", value: [0.01, 0.03][seed] },
  { ...K, seed, model: "fresh-sample", metric: "median-nn-train", value: [0.05, 0.05][seed] },
  ...[0, 2].flatMap((tau) => [
    { ...G, seed, model: "sd-flow", metric: "kl-to-target", value: 1 / (1 + tau) + seed * 0.1, tau },
    { ...G, seed, model: "closed-form", metric: "kl-to-target", value: 1 / (1 + tau), tau },
    { ...G, seed, model: "sd-flow", metric: "kl-departure", value: tau * 0.01, tau },
  ]),
]);
type Tr = { name?: string; x: unknown[]; y: number[]; mode: string; error_y?: { array: number[] } };
const byName = (f: { data: unknown[] }, name: string) => (f.data as Tr[]).find((t) => t.name === name)!;

test("heldoutFigure draws the seed mean per iteration, its 95% band cut at the smallest seed value, and flat null levels", () => {
  const f = heldoutFigure(rows);
  const data = f.data as Tr[];
  const mean = byName(f, "SD flow to held-out samples");
  assert.deepEqual(mean.x, [0, 10]);
  assert.deepEqual(mean.y, [2, 0.6]);
  // The band traces come first: hi, then lo. At iter 0 the two-seed t band reaches below 0, so lo is min(1, 3) = 1.
  const ci0 = meanCI([1, 3]), ci10 = meanCI([0.5, 0.7]);
  assert.ok(ci0.lo <= 0 && ci10.lo <= 0);
  assert.deepEqual(data[0].y, [ci0.hi, ci10.hi]);
  assert.deepEqual(data[1].y, [1, 0.5]);
  const nul = byName(f, "null: two independent target samples");
  assert.deepEqual(nul.x, [0, 10]);
  assert.equal(nul.mode, "lines");
  // The mean of 0.1 and 0.2 in float64.
  nul.y.forEach((v) => assert.ok(Math.abs(v - 0.15) < 1e-15));
  assert.match(JSON.stringify(f.layout), /2 seeds/);
});

test("copyFigure shows each group's mean with its t half-width; gaussianKLFigure draws the sampling level k / (2n)", () => {
  const c = copyFigure(rows);
  const flow = byName(c, "SD-flow particles"), fresh = byName(c, "fresh target sample (null)");
  assert.ok(Math.abs(flow.y[0] - 0.02) < 1e-15);
  assert.equal(flow.error_y!.array[0], meanCI([0.01, 0.03]).halfWidth);
  assert.equal(fresh.y[0], 0.05);
  assert.equal(fresh.error_y!.array[0], 0, "equal seeds give no interval");

  const g = gaussianKLFigure(rows);
  const level = (g.data as Tr[]).find((t) => t.name?.startsWith("sampling resolution"))!;
  assert.deepEqual(level.y, [samplingKL(2, 50), samplingKL(2, 50)]);
  assert.deepEqual(level.x, [0, 2]);
  assert.match(level.name!, /of 50 particles/);
  // Seed means of 1/(1 + tau) + {0, 0.1}: 1.05 at tau 0, 1/3 + 0.05 at tau 2.
  const fit = byName(g, "particles' Gaussian fit");
  assert.ok(Math.abs(fit.y[0] - 1.05) < 1e-12 && Math.abs(fit.y[1] - (1 / 3 + 0.05)) < 1e-12, `${fit.y}`);
  // The departure curve skips tau = 0, where fit and closed form start equal.
  assert.deepEqual(byName(g, "departure KL(fit || closed form)").x, [2]);
});

test("snapshotsFigure lays one panel per snapshot, titled with its iteration and noise level", () => {
  const snaps = [{ iter: 0, sigma: 2, points: [[0, 0]] }, { iter: 5, sigma: 0.12345, points: [[1, 1]] }];
  const f = snapshotsFigure(snaps, [[0.5, 0.5]]);
  const text = JSON.stringify(f);
  assert.match(text, /iter 0, sigma 2\.000/);
  assert.match(text, /iter 5, sigma 0\.123/);
  assert.match(text, /SD flow particles \(seed 0\) over the training samples/);
});

/** Student-t quantiles and intervals against closed forms and tabulated values; the sweep figure's error bars. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { meanCI, studentTQuantile, sweepFigure } from "../../src/sweep";
import { ResultsTable } from "../../src/table";

test("t quantiles: closed forms for 1 and 2 degrees of freedom, tabulated values otherwise", () => {
  // nu = 1 is Cauchy: t_p = tan(pi (p - 1/2)); nu = 2: t_p = (2p - 1) / sqrt(2 p (1 - p)). Bisection stops at 1e-12 relative.
  for (const p of [0.9, 0.975, 0.995]) {
    assert.ok(Math.abs(studentTQuantile(p, 1) / Math.tan(Math.PI * (p - 0.5)) - 1) < 1e-10);
    assert.ok(Math.abs(studentTQuantile(p, 2) / ((2 * p - 1) / Math.sqrt(2 * p * (1 - p))) - 1) < 1e-10);
  }
  // Tables print 6 significant digits, hence the 1e-5 tolerance.
  const table: [number, number, number][] = [[0.975, 3, 3.18245], [0.975, 4, 2.77645], [0.975, 5, 2.57058], [0.975, 10, 2.22814], [0.975, 30, 2.04227], [0.95, 4, 2.13185], [0.995, 9, 3.24984]];
  for (const [p, nu, t] of table) assert.ok(Math.abs(studentTQuantile(p, nu) - t) < 1e-5, `t(${p}, ${nu}) = ${studentTQuantile(p, nu)}, table ${t}`);
  assert.throws(() => studentTQuantile(0.975, 2.5), /studentTQuantile: argument 'nu' must be a positive integer/);
  assert.throws(() => studentTQuantile(0.4, 3), /argument 'p' must be in \(0\.5, 1\)/);
});

test("meanCI of five seeds: mean, sample std and t(0.975, 4) s / sqrt(5); one value has no interval", () => {
  const ci = meanCI([1, 2, 3, 4, 5]);
  assert.equal(ci.mean, 3);
  assert.ok(Math.abs(ci.std - Math.sqrt(2.5)) < 1e-15);
  assert.ok(Math.abs(ci.halfWidth - studentTQuantile(0.975, 4) * Math.sqrt(2.5) / Math.sqrt(5)) < 1e-15);
  assert.deepEqual(meanCI([7]), { mean: 7, std: 0, n: 1, halfWidth: 0, lo: 7, hi: 7 });
  assert.throws(() => meanCI([]), /meanCI: argument 'values' must be a non-empty array/);
});

test("sweepFigure: one curve per model, x sorted, error bars the interval over seeds, failed trials left out", () => {
  const base = { experiment: "e", dataset: "d", metric: "w1" };
  const rows = [
    ...[0, 1, 2].map((seed) => ({ ...base, model: "a", seed, n: 64, value: 1 + seed, status: "ok" })),
    ...[0, 1, 2].map((seed) => ({ ...base, model: "a", seed, n: 8, value: 10 * seed, status: "ok" })),
    { ...base, model: "a", seed: 3, n: 8, value: NaN, status: "failed", metric: "none" },
    { ...base, model: "b", seed: 0, n: 8, value: 5, status: "ok" },
  ];
  const fig = sweepFigure(new ResultsTable(rows), { x: "n" });
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [8, 64]);
  assert.deepEqual(fig.data[0].y, [10, 2]);
  const bars = (fig.data[0].error_y as { array: number[] }).array;
  assert.deepEqual(bars, [meanCI([0, 10, 20]).halfWidth, meanCI([1, 2, 3]).halfWidth]);
  assert.deepEqual((fig.data[1].error_y as { array: number[] }).array, [0]);
  assert.throws(() => sweepFigure(new ResultsTable(rows), { x: "steps" }), /sweepFigure: argument 'opts\.x' 'steps' is not a column/);
});

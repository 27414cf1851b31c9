import { test } from "node:test";
import assert from "node:assert/strict";
import { meanCI } from "../../src/sweep/interval";
import { seriesColor } from "../../src/plot/style";
import { seedFigure } from "../../src/bounds/seed-figure";

type Tr = { name: string; x: unknown[]; y: number[]; mode: string; customdata?: number[]; line: { color: string; dash?: string };
  error_y?: { array: number[]; arrayminus: number[] } };

test("seedFigure: the seed mean per x with its Student-t interval as asymmetric bars, and the seed count", () => {
  const f = seedFigure([1, 2], [{ name: "kl", values: [[1, 3], [2, 2, 2]] }], { title: "t", xLabel: "x", yLabel: "y" });
  const s = f.data[0] as Tr;
  assert.equal(s.name, "kl (mean, 95% interval)");
  assert.deepEqual(s.y, [2, 2]);
  const h = meanCI([1, 3]).halfWidth;
  assert.deepEqual(s.error_y!.array, [h, 0]);
  assert.deepEqual(s.error_y!.arrayminus, [h, 0]);
  assert.deepEqual(s.customdata, [2, 3]);
  assert.equal(s.line.color, seriesColor(0));
});

test("on a log axis the interval is of log10 of the values: a geometric mean whose bars never cross zero", () => {
  const f = seedFigure([0], [{ name: "kl", values: [[1e-3, 1e-1]] }], { title: "t", xLabel: "x", yLabel: "y", logY: true });
  const s = f.data[0] as Tr;
  const ci = meanCI([-3, -1]);
  // The geometric mean of 1e-3 and 1e-1 is 1e-2; float64 powers of ten: 1e-15 relative.
  assert.ok(Math.abs(s.y[0] / 1e-2 - 1) < 1e-12, `${s.y[0]}`);
  assert.ok(Math.abs(s.error_y!.arrayminus[0] - (s.y[0] - 10 ** ci.lo)) < 1e-15);
  assert.ok(s.y[0] - s.error_y!.arrayminus[0] > 0, "the lower end stays above zero");
  assert.match(s.name, /geometric mean/);
  assert.equal((f.layout as { yaxis: { type: string } }).yaxis.type, "log");
});

test("references: a level spans the x range (numeric) or every category; a curve follows x; colours after the series", () => {
  const refs = [{ name: "null", y: 0.5 }, { name: "exact", y: [1, 2, 3], markers: true, dash: "dot" }, { name: "pair", y: 1, color: 0 }];
  const num = seedFigure([4, -2, 7], [{ name: "s", values: [[1], [1], [1]] }], { title: "t", xLabel: "x", yLabel: "y", references: refs });
  const [level, curve, pair] = num.data.slice(1) as Tr[];
  assert.deepEqual([level.x, level.y, level.mode, level.line.dash], [[-2, 7], [0.5, 0.5], "lines", "dash"]);
  assert.deepEqual([curve.x, curve.y, curve.mode, curve.line.dash], [[4, -2, 7], [1, 2, 3], "lines+markers", "dot"]);
  assert.deepEqual([level.line.color, curve.line.color, pair.line.color], [seriesColor(1), seriesColor(2), seriesColor(0)]);
  const cat = seedFigure(["linear", "cosine"], [{ name: "s", values: [[1], [2]] }], { title: "t", xLabel: "x", yLabel: "y", categoryX: true, references: [{ name: "null", y: 0.5 }] });
  assert.deepEqual((cat.data[0] as Tr).x, [0, 1]);
  assert.deepEqual((cat.data[1] as Tr).x, [-0.5, 1.5]);
  assert.deepEqual((cat.layout as { xaxis: { ticktext: string[] } }).xaxis.ticktext, ["linear", "cosine"]);
});

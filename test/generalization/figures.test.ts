import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResultRow } from "../../src/table";
import { generalizationFigures } from "../../src/generalization/figures";
import { MI_CEILING } from "../../src/generalization/claims";

test("generalizationFigures: means with Student-t 95% error bars, nulls dashed, the ceiling dotted, log axes with decade ticks", () => {
  const rows: ResultRow[] = [];
  const put = (model: string, n: number, values: number[]) => values.forEach((value, seed) => rows.push({ experiment: "generalization", model, dataset: "ring8", seed, n, steps: 0, metric: "mi_nearest_set", value }));
  put("empirical-optimum", 16, [0.6, 0.7, 0.8]); put("empirical-optimum", 64, [0.5, 0.5, 0.5]);
  put("fresh-data", 16, [0, 0.002, 0.004]); put("fresh-data", 64, [0.001, 0.001, 0.001]);
  const f = generalizationFigures(rows, [16, 64], ["empirical-optimum", "dsm-mlp", "fresh-data"]);
  const mi = f.mutualInformation;
  // dsm-mlp has no rows: no trace for it; the two generators and the ceiling.
  assert.deepEqual(mi.data.map((t) => t.name), ["empirical-optimum", "fresh-data (null)", "ceiling log 2"]);
  const emp = mi.data[0];
  assert.ok(Math.abs((emp.y as number[])[0] - 0.7) < 1e-12 && Math.abs((emp.y as number[])[1] - 0.5) < 1e-12);
  // Half-width t_{0.975, 2} * sd / sqrt 3 with sd = 0.1 and t = 4.302653 (tables): 0.248414; sd 0 gives 0.
  const bars = (emp.error_y as { array: number[] }).array;
  assert.ok(Math.abs(bars[0] - 4.302653 * 0.1 / Math.sqrt(3)) < 1e-5, `${bars[0]}`);
  assert.ok(Math.abs(bars[1]) < 1e-12);
  assert.equal((mi.data[1].line as { dash: string }).dash, "dash");
  assert.equal((emp.line as { dash: string }).dash, "solid");
  assert.deepEqual(mi.data[2].y, [MI_CEILING, MI_CEILING]);
  assert.equal(emp.mode, "lines+markers"); // sparse curves carry markers
  const x = mi.layout.xaxis as Record<string, unknown>;
  assert.deepEqual([x.type, x.dtick, x.exponentformat], ["log", 1, "power"]);
  // The distance figure has a log y axis; the others do not. No rows of a metric: no traces.
  assert.equal((f.nnDistance.layout.yaxis as { type?: string }).type, "log");
  assert.equal((f.memorization.layout.yaxis as { type?: string }).type, undefined);
  assert.equal(f.memorization.data.length, 0);
});

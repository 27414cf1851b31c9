import { test } from "node:test";
import assert from "node:assert/strict";
import { intervalFigure } from "../../src/refine/figures";

test("intervalFigure: per-x mean with the 95 % Student-t half-width, reference lines, log axis by decade", () => {
  // Values 1, 2, 3: mean 2, sd 1, t(0.975, 2 df) = 4.303, so the half-width is 4.303 / sqrt(3) = 2.484.
  const f = intervalFigure([10, 100], [{ name: "a", perX: [[1, 2, 3], [5]] }], {
    title: "T", xLabel: "n", yLabel: "nats", logX: true, references: [{ name: "null", y: 0.5 }],
  });
  const [curve, ref] = f.data as Array<{ y: number[]; x: number[]; mode: string; error_y?: { array: number[] }; line: { dash?: string } }>;
  assert.deepEqual(curve.y, [2, 5]);
  assert.ok(Math.abs(curve.error_y!.array[0] - 4.303 / Math.sqrt(3)) < 1e-3, `${curve.error_y!.array[0]}`);
  // One seed has no interval: no bar rather than a made-up one.
  assert.equal(curve.error_y!.array[1], 0);
  assert.match(curve.mode, /markers/);
  assert.deepEqual(ref.x, [10, 100]);
  assert.deepEqual(ref.y, [0.5, 0.5]);
  assert.equal(ref.line.dash, "dash");
  const xaxis = (f.layout as { xaxis: { type: string; dtick: number } }).xaxis;
  assert.equal(xaxis.type, "log");
  assert.equal(xaxis.dtick, 1);
  const linear = intervalFigure([0, 1], [{ name: "b", perX: [[1, 1], [2, 2]] }], { title: "T", xLabel: "w", yLabel: "e" });
  assert.notEqual((linear.layout as { xaxis: { type?: string } }).xaxis.type, "log");
});

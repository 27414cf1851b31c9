// Line charts (src/plot/curves.ts): named series over a shared x, and the schedule and bound curves.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot/curves";
import { seriesColor } from "../../src/plot/style";

test("each series is a line trace in its series colour and dash; a series may carry its own x", () => {
  const f = p.lineFigure([0, 1, 2], [{ name: "a", y: [1, 2, 3] }, { name: "b", y: [5, 6], x: [10, 20], dash: "dash" }], { title: "t", xLabel: "u", yLabel: "v", logX: true });
  assert.deepEqual(f.data.map((t) => [t.name, t.x, t.y]), [["a", [0, 1, 2], [1, 2, 3]], ["b", [10, 20], [5, 6]]]);
  assert.deepEqual(f.data.map((t) => t.line), [{ color: seriesColor(0), width: 2, dash: "solid" }, { color: seriesColor(1), width: 2, dash: "dash" }]);
  assert.equal((f.layout.xaxis as { type: string }).type, "log");
  assert.equal((f.layout.title as { text: string }).text, "t");
  // No shared x: each series brings its own, or it is an error naming it.
  assert.deepEqual(p.lineFigure(undefined, [{ name: "c", y: [1], x: [4] }]).data[0].x, [4]);
  assert.throws(() => p.lineFigure(undefined, [{ name: "c", y: [1] }]), /lineFigure: argument 'series\[0\].x' is required when no shared x is given/);
  assert.throws(() => p.lineFigure([0], [null as never]), /lineFigure: argument 'series\[0\]' must be an object \{ name, y \}/);
  assert.equal(p.lineFigure([0], [{ name: undefined as never, y: [1] }]).data[0].name, "series 1");
});

test("bounds are on a log y axis unless asked otherwise; schedules label diffusion time", () => {
  const b = p.boundsFigure([1, 2], [{ name: "kl", y: [1, 0.1] }]);
  assert.equal((b.layout.yaxis as { type: string }).type, "log");
  assert.equal((p.boundsFigure([1, 2], [{ name: "kl", y: [1, 0.1] }], { logY: false }).layout.yaxis as { type?: string }).type, undefined);
  const s = p.scheduleFigure([0, 1], [{ name: "beta", y: [0.1, 20] }]);
  assert.equal((s.layout.xaxis as { title: { text: string } }).title.text, "t (diffusion time)");
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.scheduleFigure([0, 1], []), /scheduleFigure: argument 'series' must not be empty/],
    [() => p.boundsFigure([0, 1], [{ name: "b", y: [1] }]), /boundsFigure: argument 'series\[0\].y' must have the same length as 'x'/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

// fusionWeightsFigure (src/plot/fusion.ts): bars of the barycenter weights, grouped by target-sample size.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot/fusion";
import { seriesColor } from "../../src/plot/style";

test("one bar per model, in series colours; with n, one trace per model over the n groups", () => {
  const f = p.fusionWeightsFigure(["vp", "ve", "subvp"], [0.5, 0.3, 0.2]);
  assert.equal(f.data.length, 1);
  assert.deepEqual([f.data[0].x, f.data[0].y], [["vp", "ve", "subvp"], [0.5, 0.3, 0.2]]);
  assert.deepEqual((f.data[0].marker as { color: string[] }).color, [0, 1, 2].map(seriesColor));
  assert.equal(f.layout.showlegend, false);
  const g = p.fusionWeightsFigure(["vp", "ve"], [[0.5, 0.5], [0.8, 0.2]], { n: [10, 1000] });
  assert.deepEqual(g.data.map((t) => [t.name, t.x, t.y]), [["vp", ["10", "1000"], [0.5, 0.8]], ["ve", ["10", "1000"], [0.5, 0.2]]]);
  assert.equal(g.layout.barmode, "group");
  assert.equal(g.layout.showlegend, true);
  assert.throws(() => p.fusionWeightsFigure(["a", "b"], [[1, 0]], { n: [1, 2] }), /fusionWeightsFigure: argument 'weights' must have one row per value of opts.n \(2\), got 1/);
  assert.throws(() => p.fusionWeightsFigure(["a", 3 as never], [1, 0]), /fusionWeightsFigure: argument 'models\[1\]' must be a string, got number/);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.fusionWeightsFigure(["a", "b"], [1]), /fusionWeightsFigure: argument 'weights' must have one weight per model \(2\), got 1/],
    [() => p.fusionWeightsFigure([], []), /fusionWeightsFigure: argument 'models' must be a non-empty array/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

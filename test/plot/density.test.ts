// densityFigure (src/plot/density.ts): a heat map of z[i][j] at (xs[j], ys[i]), with optional points over it.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot/density";

test("the heat map keeps z as rows of y, an overlay is a marker trace, and the axes are equal in scale", () => {
  const f = p.densityFigure({ xs: [0, 1, 2], ys: [5, 6], z: [[1, 2, 3], [4, 5, 6]] }, { zLabel: "p(x)", overlay: { x: [0.5], y: [5.5], name: "samples" } });
  assert.deepEqual([f.data[0].type, f.data[0].x, f.data[0].y, f.data[0].z], ["heatmap", [0, 1, 2], [5, 6], [[1, 2, 3], [4, 5, 6]]]);
  assert.equal((f.data[0].colorbar as { title: { text: string } }).title.text, "p(x)");
  assert.deepEqual([f.data[1].name, f.data[1].x, f.data[1].y], ["samples", [0.5], [5.5]]);
  assert.equal((f.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  assert.throws(() => p.densityFigure({ xs: [0], ys: [0, 1], z: [[1]] }), /densityFigure: argument 'grid.z' must have one row per y value \(2 rows\), got 1/);
  assert.throws(() => p.densityFigure({ xs: [0], ys: [0], z: [[1]] }, { overlay: { x: [0, 1], y: [0] } }), /densityFigure: argument 'opts.overlay.y' must have the same length as 'opts.overlay.x' \(2\), got 1/);
  assert.throws(() => p.densityFigure(null as never), /densityFigure: argument 'grid' must be an object \{ xs, ys, z \}/);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.densityFigure({ xs: [0, 1], ys: [0], z: [[1, 2, 3]] }), /densityFigure: argument 'grid.z' must have one column per x value \(2 columns\), got 3/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

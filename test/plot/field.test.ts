// vectorFieldFigure (src/plot/field.ts): score fields as arrows, over an optional density.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot/field";

test("vector field arrows: the longest has length `scale`, directions kept", () => {
  const f = p.vectorFieldFigure([[0, 0], [1, 0]], [[2, 0], [0, 1]], { scale: 0.5 });
  const x = f.data[0].x as (number | null)[];
  const y = f.data[0].y as (number | null)[];
  assert.deepEqual([x[0], x[1], y[1]], [0, 0.5, 0], "first shaft: (0,0) -> (0.5,0)");
  // The second arrow's shaft starts after the first arrow's shaft and two head strokes (3 entries each).
  assert.deepEqual([x[9], y[9], x[10], y[10]], [1, 0, 1, 0.25]);
});

test("the annotation style gives one arrow annotation per point; a background adds the heat map under the arrows", () => {
  const f = p.vectorFieldFigure([[0, 0], [1, 1], [2, 0]], [[1, 0], [0, 1], [-1, -1]], { style: "annotations", background: { xs: [0, 1], ys: [0, 1], z: [[1, 2], [3, 4]] } });
  assert.equal((f.layout.annotations as unknown[]).length, 3);
  assert.equal(f.data[0].type, "heatmap");
  assert.deepEqual(f.data[0].z, [[1, 2], [3, 4]]);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.vectorFieldFigure([[0, 0]], [[1, 0], [0, 1]]), /vectorFieldFigure: argument 'vectors' must have one vector per point \(1\), got 2/],
    [() => p.vectorFieldFigure([[0, 0]], [[1, 0]], { style: "arrows" as "lines" }), /vectorFieldFigure: argument 'opts.style'/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

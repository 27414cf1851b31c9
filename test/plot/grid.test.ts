// gridFigure (src/plot/grid.ts): several figures as panels of one, axes renumbered.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot";
import { gridFigure } from "../../src/plot/grid";
import { allFigures } from "./fixtures";

test("gridFigure renumbers axes, keeps secondary axes attached and titles as annotations", () => {
  const figs = allFigures();
  const g = gridFigure([figs.samples, figs.gap], { cols: 2 });
  const axes = new Set(g.data.map((t) => `${t.xaxis}/${t.yaxis}`));
  assert.deepEqual([...axes].sort(), ["x/y", "x2/y2", "x2/y3"]);
  const y3 = g.layout.yaxis3 as { overlaying: string; anchor: string };
  assert.equal(y3.overlaying, "y2");
  assert.equal(y3.anchor, "x2");
  assert.equal((g.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  const texts = (g.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, ["<b>samples</b>", "<b>Generalization gap</b>"]);
});

test("panels keep every trace, lay out in rows of cols, and the grid title is the given one", () => {
  const figs = allFigures();
  const parts = [figs.lines, figs.fusion, figs.schedule];
  const g = gridFigure(parts, { cols: 2, title: "three" });
  assert.equal(g.data.length, parts.reduce((s, f) => s + f.data.length, 0));
  assert.equal((g.layout.title as { text: string }).text, "three");
  // Three panels in two columns: the third panel starts the second row, below the first.
  const d1 = (g.layout.xaxis as { domain: number[] }).domain, d3 = (g.layout.xaxis3 as { domain: number[] }).domain;
  const y1 = (g.layout.yaxis as { domain: number[] }).domain, y3 = (g.layout.yaxis3 as { domain: number[] }).domain;
  assert.deepEqual(d3, d1);
  assert.ok(y3[1] < y1[0], `row 2 ${y3} below row 1 ${y1}`);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => gridFigure([]), /gridFigure: argument 'figures' must be a non-empty array/],
    [() => gridFigure([{} as p.Figure]), /gridFigure: argument 'figures\[0\]' must be a figure/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

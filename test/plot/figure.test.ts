// The Figure value (src/plot/figure.ts) every builder returns: plain JSON {data, layout}, in the house style.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot";
import { isFigure } from "../../src/plot/figure";
import { allFigures } from "./fixtures";
import { initBackend } from "../../src/tensor/backend";

before(async () => {
  await initBackend();
});

test("every builder returns a JSON-serialisable {data, layout} with a title and labelled axes", () => {
  for (const [name, fig] of Object.entries(allFigures())) {
    assert.ok(p.isFigure(fig), name);
    assert.ok(fig.data.length > 0, `${name} has traces`);
    const back = JSON.parse(JSON.stringify(fig));
    assert.deepEqual(back.data.length, fig.data.length, name);
    if (name === "grid") continue;
    const layout = fig.layout as { title: { text: string }; xaxis: { title: { text: string } }; yaxis: { title: { text: string } }; font: unknown };
    assert.ok(layout.title.text.length > 0, `${name} title`);
    assert.ok(layout.xaxis.title.text.length > 0 && layout.yaxis.title.text.length > 0, `${name} axis labels`);
    assert.deepEqual(layout.font, { ...p.FONT }, `${name} uses the house font`);
  }
});

test("isFigure: an object with a data array and a layout object, nothing else", () => {
  assert.equal(isFigure({ data: [], layout: {} }), true);
  for (const v of [null, 3, "fig", [], { data: [] }, { data: {}, layout: {} }, { data: [], layout: [] }, { data: [], layout: null }]) {
    assert.equal(isFigure(v), false, JSON.stringify(v));
  }
});

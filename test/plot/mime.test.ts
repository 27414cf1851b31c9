// Display bundles (src/plot/mime.ts): Plotly JSON, HTML that loads plotly.js once, short text.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as p from "../../src/plot";
import { allFigures } from "./fixtures";

test("toMimeBundle: Plotly JSON, HTML that loads plotly.js instead of inlining it, short text", () => {
  p.resetPlotlyLoader();
  const fig = allFigures().training;
  const b = p.toMimeBundle(fig);
  assert.deepEqual(b[p.PLOTLY_MIME], { data: fig.data, layout: fig.layout });
  const h = b["text/html"] as string;
  // Bound: the spec's JSON plus about 3 KB of loader and drawing script; plotly.js alone is megabytes.
  const specChars = JSON.stringify({ data: fig.data, layout: fig.layout }).length;
  assert.ok(h.length < specChars + 4_000, `figure HTML is ${h.length} chars for a ${specChars}-char spec`);
  assert.ok(!h.includes(p.plotlyJs().slice(0, 300)), "no inlined plotly.js");
  assert.ok(h.includes(p.plotlyResourcePath()), "loads the kernelspec's copy");
  assert.match(h, /^<div id="scorelab-fig-[\d-]+"[^>]*><\/div><script[^>]*>[\s\S]*newPlot\([\s\S]*<\/script>$/);
  assert.ok(!("image/svg+xml" in b) && !("image/png" in b), "no still image unless asked");
  assert.match(b["text/plain"] as string, /^Figure "Training loss": 3 traces \(scatter×3\)$/);
  // inlinePlotly: the library once per session, for HTML read outside a Jupyter server.
  const i1 = p.toMimeBundle(fig, { inlinePlotly: true })["text/html"] as string;
  const i2 = p.toMimeBundle(fig, { inlinePlotly: true })["text/html"] as string;
  assert.ok(i1.length > 1_000_000 && i2.length < 20_000);
  assert.equal(p.plotlyLoaderHtml(), "");
  // A title containing "</script>" must not end the inline script early.
  const evil = p.lineFigure([0], [{ name: "</script><b>", y: [1] }]);
  assert.equal((p.toMimeBundle(evil)["text/html"] as string).match(/<\/script>/g)?.length, 1);
  assert.throws(() => p.figureHtml(fig, { plotlyUrl: "" }), /figureHtml: argument 'opts.plotlyUrl' must be a non-empty URL string/);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.toMimeBundle(42 as unknown as p.Figure), /toMimeBundle: argument 'value' must be a figure/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import * as p from "../../src/plot";
import { allFigures } from "./fixtures";

test("setup", async () => {
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

test("samplesFigure reads tensors like arrays and does not leak tensors", () => {
  const x = tf.tensor2d([[0, 1], [2, 3]]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const a = p.samplesFigure(x);
    const b = p.samplesFigure([[0, 1], [2, 3]]);
    assert.deepEqual(a.data, b.data);
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(x.isDisposed, false, "the caller's tensor is left alone");
  x.dispose();
});

test("tensor inputs of every kind: vectors, images, frames; no tensor growth", () => {
  const loss = tf.tensor1d([3, 2, 1]);
  const imgs = tf.zeros([2, 3, 3, 1]).add(tf.range(0, 18).reshape([2, 3, 3, 1]));
  const frames = tf.tensor3d([[[0, 0], [1, 1]], [[1, 0], [2, 1]]]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(p.trainingCurveFigure(loss).data[0].y, [3, 2, 1]);
    const g = p.imageGridFigure(imgs, { cols: 2, gap: 0 });
    const z = g.data[0].z as number[][];
    assert.deepEqual([z.length, z[0].length], [3, 6]);
    assert.equal(z[0][3], 9, "image 1 starts at column 3 (w = 3, gap 0)");
    const t = p.trajectoriesFigure(frames, { showEnds: false });
    assert.deepEqual(t.data[0].x, [0, 1, null, 1, 2, null]);
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([loss, imgs, frames]);
});

test("ema is bias-corrected: a constant series stays constant, and matches the closed form", () => {
  assert.deepEqual(p.smoothCurve([2, 2, 2], 0.9), [2, 2, 2]);
  // Second value: (0.9·0.1·1 + 0.1·3) / (1 − 0.81) = 0.39 / 0.19.
  const e = p.smoothCurve([1, 3], 0.9);
  assert.ok(Math.abs(e[1] - 0.39 / 0.19) < 1e-12);
});

test("vector field arrows: the longest has length `scale`, directions kept", () => {
  const f = p.vectorFieldFigure([[0, 0], [1, 0]], [[2, 0], [0, 1]], { scale: 0.5 });
  const x = f.data[0].x as (number | null)[];
  const y = f.data[0].y as (number | null)[];
  assert.deepEqual([x[0], x[1], y[1]], [0, 0.5, 0], "first shaft: (0,0) -> (0.5,0)");
  // The second arrow's shaft starts after the first arrow's shaft and two head strokes (3 entries each).
  assert.deepEqual([x[9], y[9], x[10], y[10]], [1, 0, 1, 0.25]);
});

test("gridFigure renumbers axes, keeps secondary axes attached and titles as annotations", () => {
  const figs = allFigures();
  const g = p.gridFigure([figs.samples, figs.gap], { cols: 2 });
  const axes = new Set(g.data.map((t) => `${t.xaxis}/${t.yaxis}`));
  assert.deepEqual([...axes].sort(), ["x/y", "x2/y2", "x2/y3"]);
  const y3 = g.layout.yaxis3 as { overlaying: string; anchor: string };
  assert.equal(y3.overlaying, "y2");
  assert.equal(y3.anchor, "x2");
  assert.equal((g.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  const texts = (g.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, ["<b>samples</b>", "<b>Generalization gap</b>"]);
});

test("bad input: clear errors naming builder and argument", () => {
  const flat = tf.zeros([3]);
  const cases: [() => unknown, RegExp][] = [
    [() => p.samplesFigure([]), /samplesFigure: argument 'samples' must not be empty/],
    [() => p.samplesFigure([[0, NaN]]), /samplesFigure: argument 'samples' must hold finite numbers; entry \[0\]\[1\] is NaN/],
    [() => p.samplesFigure([[0, 1, 2]]), /samplesFigure: argument 'samples' must have 2 columns/],
    [() => p.samplesFigure([[0, 1]], { reference: [[1]] }), /samplesFigure: argument 'opts.reference'/],
    [() => p.samplesFigure(flat), /samplesFigure: argument 'samples' must be a tensor of shape \[n,2\]/],
    [() => p.trainingCurveFigure([1, 2], { steps: [0, 1, 2] }), /trainingCurveFigure: argument 'loss' must have the same length as 'opts.steps' \(3\), got 2/],
    [() => p.trainingCurveFigure([1, Infinity]), /trainingCurveFigure: argument 'loss' must hold finite numbers/],
    [() => p.generalizationGapFigure([1, 2], { train: [1, 2], test: [1] }), /generalizationGapFigure: argument 'losses.test' must have the same length as 'x'/],
    [() => p.generalizationGapFigure([0, 2], { train: [1, 2], test: [1, 2] }), /generalizationGapFigure: argument 'x' must be positive/],
    [() => p.fusionWeightsFigure(["a", "b"], [1]), /fusionWeightsFigure: argument 'weights' must have one weight per model \(2\), got 1/],
    [() => p.fusionWeightsFigure([], []), /fusionWeightsFigure: argument 'models' must be a non-empty array/],
    [() => p.densityFigure({ xs: [0, 1], ys: [0], z: [[1, 2, 3]] }), /densityFigure: argument 'grid.z' must have one column per x value \(2 columns\), got 3/],
    [() => p.vectorFieldFigure([[0, 0]], [[1, 0], [0, 1]]), /vectorFieldFigure: argument 'vectors' must have one vector per point \(1\), got 2/],
    [() => p.vectorFieldFigure([[0, 0]], [[1, 0]], { style: "arrows" as "lines" }), /vectorFieldFigure: argument 'opts.style'/],
    [() => p.imageGridFigure([]), /imageGridFigure: argument 'images' must not be empty/],
    [() => p.imageGridFigure([[[0, NaN]]]), /imageGridFigure: argument 'images' must hold finite pixel values/],
    [() => p.imageGridFigure([[[0, 1]], [[0]]]), /imageGridFigure: argument 'images' must hold images of equal size/],
    [() => p.trajectoriesFigure([[[0, 0]], [[0, 0], [1, 1]]]), /trajectoriesFigure: argument 'frames\[1\]' must have the same number of particles/],
    [() => p.scheduleFigure([0, 1], []), /scheduleFigure: argument 'series' must not be empty/],
    [() => p.boundsFigure([0, 1], [{ name: "b", y: [1] }]), /boundsFigure: argument 'series\[0\].y' must have the same length as 'x'/],
    [() => p.gridFigure([]), /gridFigure: argument 'figures' must be a non-empty array/],
    [() => p.gridFigure([{} as p.Figure]), /gridFigure: argument 'figures\[0\]' must be a figure/],
    [() => p.toMimeBundle(42 as unknown as p.Figure), /toMimeBundle: argument 'value' must be a figure/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
  flat.dispose();
});

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

// Still images beside a figure's bundle (src/plot/static-bundle.ts). A stand-in exporter returns fixed bytes, so
// this test checks the bundle and the exporter's lifetime; rendering in Chromium is tested in export.test.ts and
// test/browser/notebook-html.test.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { Figure } from "../../src/plot/figure";
import type { FigureExporter } from "../../src/plot/export";
import { PLOTLY_MIME } from "../../src/plot/mime";
import { STATIC_FORMATS, staticFigureBundle, staticImage } from "../../src/plot/static-bundle";

const fig: Figure = { data: [{ type: "scatter", x: [0], y: [1] }], layout: { title: { text: "one point" } } };

function fakeExporter() {
  const calls: { format: string; scale?: number }[] = [];
  let closed = 0;
  const ex: FigureExporter = {
    export: async () => undefined,
    render: async (_f, format, o) => { calls.push({ format, scale: o?.scale }); return Buffer.from(format === "svg" ? "<svg>x</svg>" : "PNG!"); },
    consoleErrors: () => [],
    close: async () => { closed++; },
  };
  return { ex, calls, closed: () => closed };
}

test("staticImage: SVG as text, PNG as base64, always at scale 1; a given exporter is reused, not closed", async () => {
  assert.deepEqual([...STATIC_FORMATS], ["svg", "png"]);
  const f = fakeExporter();
  assert.deepEqual(await staticImage(fig, "svg", { exporter: f.ex }), { mime: "image/svg+xml", data: "<svg>x</svg>" });
  assert.deepEqual(await staticImage(fig, "png", { exporter: f.ex }), { mime: "image/png", data: Buffer.from("PNG!").toString("base64") });
  assert.deepEqual(f.calls, [{ format: "svg", scale: 1 }, { format: "png", scale: 1 }]);
  assert.equal(f.closed(), 0);
});

test("staticFigureBundle: the Plotly JSON, the image under its MIME type, and the image inside the HTML", async () => {
  const f = fakeExporter();
  const b = await staticFigureBundle(fig, { format: "png", exporter: f.ex });
  assert.deepEqual(b[PLOTLY_MIME], { data: fig.data, layout: fig.layout });
  assert.equal(b["image/png"], Buffer.from("PNG!").toString("base64"));
  assert.ok(!("image/svg+xml" in b));
  assert.ok((b["text/html"] as string).includes(`src="data:image/png;base64,${Buffer.from("PNG!").toString("base64")}"`));
  const svg = await staticFigureBundle(fig, { exporter: f.ex });
  assert.equal(svg["image/svg+xml"], "<svg>x</svg>", "SVG by default");
});

test("bad input names the function and the argument, before any browser starts", async () => {
  await assert.rejects(staticImage({} as Figure), /staticImage: argument 'fig' must be a figure \{ data, layout \}/);
  await assert.rejects(staticImage(fig, "pdf" as never), /staticImage: argument 'format' must be "svg" or "png", got "pdf"/);
  await assert.rejects(staticFigureBundle(fig, { format: "jpg" as never }), /staticFigureBundle: argument 'opts.format' must be "svg" or "png", got "jpg"/);
  await assert.rejects(staticFigureBundle(fig, null as never), /staticFigureBundle: argument 'opts' must be an options object/);
  await assert.rejects(staticFigureBundle(null as never), /staticFigureBundle: argument 'fig'/);
});

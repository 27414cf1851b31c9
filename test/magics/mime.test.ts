/** Values to MIME bundles: figures, tables, PNG bytes, row arrays; plain text; plotly.js shipped once per session. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { figureBundle, mimeBundleOf, plainText, resetPlotlyShipping, rowsToHtml } from "../../src/magics/mime";
import { toMimeBundle } from "../../src/plot/mime";
import type { Figure } from "../../src/plot/figure";

const fig: Figure = { data: [{ y: [1, 2] }], layout: {} };

test("rowsToHtml: one column per key seen, numbers to 6 significant digits, text escaped, long tables cut with a count", () => {
  assert.equal(rowsToHtml([{ a: 1 / 3, b: "<x>" }, { c: true }]),
    "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead><tbody><tr><td>0.333333</td><td>&lt;x&gt;</td><td>undefined</td></tr><tr><td>undefined</td><td>undefined</td><td>true</td></tr></tbody></table>");
  const many = rowsToHtml(Array.from({ length: 5 }, (_, i) => ({ i })), 2);
  assert.equal((many.match(/<tr><td>/g) ?? []).length, 2);
  assert.match(many, /<td colspan="1">… 3 more rows<\/td>/);
});

test("mimeBundleOf: own bundles, figures, PNG bytes and plain row arrays; nothing for plain values", () => {
  assert.deepEqual(mimeBundleOf({ toMimeBundle: () => ({ "text/plain": "mine" }) }), { "text/plain": "mine" });
  // A figure's bundle is figureBundle's: the same JSON and text (each HTML has its own element id).
  const b = mimeBundleOf(fig)!;
  assert.deepEqual(b["application/vnd.plotly.v1+json"], fig);
  assert.equal(b["text/plain"], figureBundle(fig)["text/plain"]);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]);
  assert.deepEqual(mimeBundleOf(png), { "image/png": Buffer.from(png).toString("base64"), "text/plain": "<PNG image, 6 bytes>" });
  assert.match(String(mimeBundleOf([{ a: 1 }])!["text/html"]), /^<table>/);
  for (const v of [null, undefined, 3, "s", [], [1, 2], [new Map()], new Uint8Array([1, 2, 3, 4])]) assert.equal(mimeBundleOf(v), undefined, plainText(v));
});

test("plainText reads like Node's REPL", () => {
  assert.equal(plainText({ a: 1, b: [1, 2] }), "{ a: 1, b: [ 1, 2 ] }");
  assert.equal(plainText("s"), "'s'");
});

test("resetPlotlyShipping: the next inline figure carries plotly.js again, once", () => {
  resetPlotlyShipping();
  const first = String(toMimeBundle(fig, { inlinePlotly: true })["text/html"]);
  const second = String(toMimeBundle(fig, { inlinePlotly: true })["text/html"]);
  // plotly.js is megabytes; a figure's own HTML is well under 100 kB.
  assert.ok(first.length > 1e6, `${first.length}`);
  assert.ok(second.length < 1e5, `${second.length}`);
  resetPlotlyShipping();
  assert.ok(String(toMimeBundle(fig, { inlinePlotly: true })["text/html"]).length > 1e6);
  assert.ok(String(figureBundle(fig)["text/html"]).length < 1e5, "a notebook figure never inlines it");
});

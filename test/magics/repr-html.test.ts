/** The shared repr shape: `Title(k: v, …)` as text, a titled two-column table as HTML, text escaped. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { esc, summaryBundle, summaryHtml } from "../../src/magics/repr-html";

test("summaryBundle: plain text in one line and the key/value table, with <, > and & escaped", () => {
  const b = summaryBundle("SDE<vp>", [["kind", "vp"], ["β", "0.1 & 20"]]);
  assert.equal(b["text/plain"], "SDE<vp>(kind: vp, β: 0.1 & 20)");
  assert.equal(b["text/html"], summaryHtml("SDE<vp>", [["kind", "vp"], ["β", "0.1 & 20"]]));
  assert.equal(summaryHtml("T", [["a", "<b>"]]),
    '<table><caption style="text-align:left"><b>T</b></caption><tbody><tr><th style="text-align:left">a</th><td style="text-align:left">&lt;b&gt;</td></tr></tbody></table>');
  assert.equal(esc("a<b>&c"), "a&lt;b&gt;&amp;c");
});

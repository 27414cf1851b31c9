import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { loadDataset } from "../../src/data";
import { scheduleStudy } from "../../src/bounds";
import { mimeBundleOf } from "../../src/magics/mime";

test("a data set shows its name, size, item shape, labels and exact law, not its tensor", async () => {
  await initBackend();
  const d = loadDataset("gmm8", { n: 40, seed: 0 });
  const b = mimeBundleOf(d)!;
  assert.equal(b["text/plain"], "Dataset(name: gmm8, items: 40, item shape: [2], labels: " + `${new Set(d.labels).size} classes, exact law: 8-component Gaussian mixture)`);
  assert.match(b["text/html"] as string, /<th[^>]*>item shape<\/th><td[^>]*>\[2\]<\/td>/);
  const m = loadDataset("moons", { n: 10 });
  assert.equal(mimeBundleOf(m)!["text/plain"], `Dataset(name: moons, items: 10, item shape: [2]${m.labels ? `, labels: ${new Set(m.labels).size} classes` : ""})`);
  d.dispose();
  m.dispose();
});

test("a study result shows its summary, its table's first rows and where its figures are", async () => {
  const r = await scheduleStudy({ quick: true });
  const b = mimeBundleOf(r)!;
  const n = r.table.numRows();
  const text = String(b["text/plain"]);
  assert.ok(text.startsWith(`StudyResult(table: ${n} rows × ${r.table.columnNames().length} columns (${r.table.columnNames().join(", ")}), figures: figures[0]`), text.slice(0, 200));
  assert.ok(text.endsWith(r.summary.trim()), "the summary follows the line");
  const html = b["text/html"] as string;
  // The table is cut at 20 rows: 20 body rows plus the header row of the results table.
  const resultsHtml = html.slice(html.indexOf("</table>") + 8);
  assert.equal((resultsHtml.match(/<tr>/g) ?? []).length, Math.min(n, 20) + 1);
  assert.match(html, new RegExp(`20 of ${n} rows shown`));
  assert.match(html, /display\(result\.figures\[0\]\)/);
  assert.doesNotMatch(text, /"data":|layout/);
});

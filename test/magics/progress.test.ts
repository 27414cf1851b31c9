/** The progress bar: text and HTML of one record, and a reporter that shows once, then updates the same display. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { progressBundle, progressReporter } from "../../src/magics/progress";
import type { MimeBundle } from "../../src/magics/spec";

test("progressBundle: 30 cells filled in proportion, percent, step/total, loss, rate and eta", () => {
  const b = progressBundle("train", { step: 10, total: 40, loss: 0.123456, rate: 5, eta: 75 }, "note");
  assert.equal(b["text/plain"], `train [${"#".repeat(8)}${".".repeat(22)}]  25%  10/40  loss 0.1235  5.0 it/s  eta 1m15s  note`);
  assert.match(String(b["text/html"]), /<progress value="10" max="40"/);
  assert.equal(progressBundle("<a>", { step: 3, total: 0 })["text/plain"], `<a> [${".".repeat(30)}]   0%  3/0`);
  assert.match(String(progressBundle("<a>", { step: 3, total: 0 })["text/html"]), /&lt;a>/);
  assert.match(String(progressBundle("x", { step: 9, total: 3, eta: 2.25 })["text/plain"]), /\[#{30}\] 100%  9\/3  eta 2\.3s/);
});

test("progressReporter: one display id, shown then updated, throttled, the last step always drawn, done() adds the note", () => {
  const calls: [MimeBundle, string, boolean][] = [];
  const bar = progressReporter((b, id, update) => calls.push([b, id, update]), "work", 60_000);
  bar.report({ step: 1, total: 3 });
  bar.report({ step: 2, total: 3 });
  assert.equal(calls.length, 1, "the second step falls inside the interval");
  bar.report({ step: 3, total: 3 });
  bar.done("finished");
  assert.equal(calls.length, 3);
  assert.ok(calls.every(([, id]) => id === calls[0][1] && id.startsWith("scorelab-progress-")));
  assert.deepEqual(calls.map(([, , u]) => u), [false, true, true]);
  assert.match(String(calls[2][0]["text/plain"]), /3\/3 .*finished$/);
  assert.equal(bar.last()?.step, 3);
  assert.throws(() => progressReporter(null as never, "x"), /^Error: progressReporter\(\): argument 'sink' must be a function$/);
});

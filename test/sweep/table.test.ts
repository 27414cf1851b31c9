import { test } from "node:test";
import assert from "node:assert/strict";
import type { StoredResult } from "../../src/sweep/records";
import { sweepTable, trialRows } from "../../src/sweep/table";
import { fixtureTrial } from "./plan";

const ok = (id: string, rows: StoredResult["rows"]): StoredResult => ({ id, status: "ok", rows, seconds: 1.5, worker: "h:1", attempts: 1 });

test("trialRows: one row per metric with the trial's parameters and record; the row's own model, dataset and extra columns", () => {
  const t = fixtureTrial("square", { x: 2, opts: { a: 1 } }, 3);
  const rows = trialRows(t, ok(t.id, [{ metric: "y", value: 7, model: "m", dataset: "d", iter: 5, seed: 99 as never }, { metric: "z", value: 1 }]), "exp");
  assert.equal(rows.length, 2);
  const [r, s] = rows;
  assert.deepEqual([r.experiment, r.model, r.dataset, r.seed, r.metric, r.value, r.x, r.opts, r.iter], ["exp", "m", "d", 3, "y", 7, 2, '{"a":1}', 5]);
  assert.deepEqual([r.trial, r.status, r.seconds, r.worker, r.attempts, r.error, r.rung], [t.id, "ok", 1.5, "h:1", 1, null, 0]);
  assert.deepEqual([s.model, s.dataset], ["square", "-"], "the trial's function and '-' when the row names none");
});

test("a trial without metrics is one 'none' row with NaN and its error; one never run is 'cancelled'; sweepTable keeps plan order", () => {
  const a = fixtureTrial("boom", { x: 2 }, 0, { index: 1 }), b = fixtureTrial("boom", { x: 1 }, 0, { index: 0 }), c = fixtureTrial("boom", { x: 3 }, 0, { index: 2 });
  const failed: StoredResult = { id: a.id, status: "failed", rows: [], seconds: 0.1, worker: "h:2", attempts: 2, error: "boom at x=2" };
  const [f] = trialRows(a, failed, "exp");
  assert.deepEqual([f.metric, f.status, f.error, f.attempts], ["none", "failed", "boom at x=2", 2]);
  assert.ok(Number.isNaN(f.value));
  const [never] = trialRows(c, undefined, "exp");
  assert.deepEqual([never.metric, never.status, never.seconds, never.worker, never.attempts], ["none", "cancelled", null, null, 0]);
  const table = sweepTable([a, c, b], new Map([[a.id, failed], [b.id, ok(b.id, [{ metric: "z", value: 1 }])]]), "exp");
  assert.deepEqual(table.objects().map((r) => [r.x, r.status]), [[1, "ok"], [2, "failed"], [3, "cancelled"]]);
});

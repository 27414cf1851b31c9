import { test } from "node:test";
import assert from "node:assert/strict";
import * as os from "node:os";
import { ResultsTable } from "../../src/table/results-table";
import { executeTrial, outputRows, workerName } from "../../src/sweep/run-trial";
import { fixtureTrial } from "./plan";

test("outputRows reads metrics by name, rows, a ResultsTable or { table }, and names the trial when the shape is wrong", () => {
  assert.deepEqual(outputRows({ loss: 0.5, acc: 1 }, "f"), [{ metric: "loss", value: 0.5 }, { metric: "acc", value: 1 }]);
  const rows = [{ metric: "m", value: 2, model: "x" }];
  const out = outputRows(rows, "f");
  assert.deepEqual(out, rows);
  assert.notEqual(out[0], rows[0], "rows are copied");
  const table = new ResultsTable([{ experiment: "e", model: "m", dataset: "d", seed: 4, metric: "w1", value: 3 }]);
  // The table's seed column is dropped: the trial's own seed goes in the sweep table.
  assert.deepEqual(outputRows(table, "f"), [{ experiment: "e", model: "m", dataset: "d", metric: "w1", value: 3 }]);
  assert.deepEqual(outputRows({ table } as never, "f"), outputRows(table, "f"));
  assert.throws(() => outputRows({ loss: "low" } as never, "f"), /f: the trial returned metric 'loss' = "low", not a number; expected metrics by name/);
  assert.throws(() => outputRows([{ value: 1 }] as never, "f"), /f: the trial returned row 0 without a metric name and a numeric value/);
  assert.throws(() => outputRows(null as never, "f"), /f: the trial returned null/);
  assert.equal(workerName(), `${os.hostname()}:${process.pid}`);
});

test("executeTrial never throws: ok with rows, progress and files; stopped on abort; failed when refused or throwing", async () => {
  const ok = await executeTrial(fixtureTrial("square", { x: 3, steps: 2 }, 1), { allow: null, attempt: 2 });
  assert.deepEqual([ok.status, ok.rows, ok.attempts, ok.worker], ["ok", [{ metric: "y", value: 10 }, { metric: "steps_done", value: 2 }], 2, workerName()]);
  assert.deepEqual(ok.stats, [{ step: 1, total: 2, loss: 3 }, { step: 2, total: 2, loss: 3 }]);
  assert.deepEqual(Object.keys(ok.files), ["note.txt"]);
  assert.equal(Buffer.from(ok.files["note.txt"], "base64").toString(), "x=3");
  assert.equal(ok.env.node, process.version);
  assert.ok(ok.seconds >= 0);
  const ac = new AbortController();
  ac.abort();
  const stopped = await executeTrial(fixtureTrial("square", { x: 2, steps: 5 }), { allow: null, signal: ac.signal });
  assert.deepEqual([stopped.status, stopped.rows], ["stopped", [{ metric: "y", value: 4 }, { metric: "steps_done", value: 0 }]]);
  const extra = await executeTrial(fixtureTrial("square", { x: 1, lr: 0.1 }), { allow: null });
  assert.deepEqual([extra.status, extra.error], ["failed", "refused: 'square' takes no parameter lr"]);
  const boom = await executeTrial(fixtureTrial("boom", { x: 2 }), { allow: null });
  assert.deepEqual([boom.status, boom.error, boom.rows, boom.attempts], ["failed", "boom at x=2", [], 1]);
  const outside = await executeTrial(fixtureTrial("square", { x: 1 }), { allow: [os.tmpdir()] });
  assert.equal(outside.status, "failed");
  assert.match(outside.error!, /resolveTrial: refused module .*: it is not under an allowed folder/);
});

/**
 * sweep and resumeSweep on the local executor (child processes): exact results of a fixture trial, run records, a
 * throwing trial as one failed row, resume that runs only what is missing, and interrupt.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resumeSweep, sweep, type SweepSpec } from "../../src/sweep";

const MODULE = path.join(__dirname, "fixtures", "trials.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-local-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).length : 0);

test("fixture sweep: y = x^2 + seed exactly, one row per trial and metric, and each trial's run records", { timeout: 30_000 }, async () => {
  const log = path.join(tmp, "a.log");
  const out = path.join(tmp, "a");
  const spec: SweepSpec = { name: "squares", fn: "square", module: MODULE, space: { x: [1, 2, 3] }, fixed: { steps: 3, log }, seeds: [0, 5] };
  const seen: number[] = [];
  const r = await sweep(spec, { out, concurrency: 2, onStep: (rec) => seen.push(rec.step) });
  assert.deepEqual(r.counts, { ok: 6, failed: 0, stopped: 0, interrupted: 0, cancelled: 0 });
  assert.equal(seen.at(-1), 6);
  const rows = r.table.objects();
  assert.equal(rows.length, 12);
  for (const row of rows.filter((x) => x.metric === "y")) assert.equal(row.value, (row.x as number) ** 2 + row.seed);
  assert.deepEqual(rows.slice(0, 4).map((x) => [x.x, x.seed, x.metric]), [[1, 0, "y"], [1, 0, "steps_done"], [1, 5, "y"], [1, 5, "steps_done"]]);
  assert.ok(rows.every((x) => x.experiment === "squares" && x.status === "ok" && typeof x.seconds === "number" && /:\d+$/.test(String(x.worker))));
  const dir = path.join(out, "trials", rows[0].trial as string);
  const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  assert.deepEqual([config.params, config.seed, config.fn], [{ steps: 3, log, x: 1 }, 0, "square"]);
  assert.match(config.node, /^v\d+/);
  assert.match(config.backend, /none/);
  const stats = fs.readFileSync(path.join(dir, "stats.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(stats.map((s) => s.step), [1, 2, 3]);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "result.json"), "utf8")).status, "ok");
  assert.equal(fs.readFileSync(path.join(dir, "note.txt"), "utf8"), "x=1");
  assert.equal(r.figure.data.length, 1);
  assert.deepEqual(r.figure.data[0].y, [1 + 2.5, 4 + 2.5, 9 + 2.5]);
  // Again on the same folder: nothing runs (the log does not grow), the same table comes back.
  const before = lines(log);
  const again = await resumeSweep(out, { concurrency: 2 });
  assert.equal(lines(log), before);
  assert.deepEqual(again.table.objects(), r.table.objects());
});

test("a trial that throws is one failed row with its message; the sweep goes on", { timeout: 30_000 }, async () => {
  const r = await sweep({ fn: "boom", module: MODULE, space: { x: [1, 2, 3] }, seeds: 1 }, { out: path.join(tmp, "b"), concurrency: 2 });
  assert.deepEqual(r.counts, { ok: 2, failed: 1, stopped: 0, interrupted: 0, cancelled: 0 });
  const failed = r.table.objects().filter((x) => x.status === "failed");
  assert.equal(failed.length, 1);
  assert.deepEqual([failed[0].x, failed[0].metric, failed[0].error], [2, "none", "boom at x=2"]);
  assert.ok(Number.isNaN(failed[0].value));
  assert.deepEqual(r.table.objects().filter((x) => x.status === "ok").map((x) => [x.model, x.value]), [["boom-model", 1], ["boom-model", 3]]);
});

test("interrupt: queued trials cancelled, the running one stops through its signal, finished ones kept; resume runs the rest", { timeout: 30_000 }, async () => {
  const log = path.join(tmp, "c.log");
  const out = path.join(tmp, "c");
  const spec: SweepSpec = { fn: "square", module: MODULE, space: { x: [1, 2, 3, 4] }, fixed: { steps: 20, ms: 25, log }, seeds: 1 };
  const ac = new AbortController();
  // Abort once the second trial has started (its log line): it is then mid-run, 20 steps of 25 ms.
  const watcher = setInterval(() => { if (lines(log) >= 2) ac.abort(); }, 10);
  const r = await sweep(spec, { out, concurrency: 1, signal: ac.signal }).finally(() => clearInterval(watcher));
  assert.equal(r.stopped, true);
  assert.deepEqual(r.counts, { ok: 1, failed: 0, stopped: 1, interrupted: 0, cancelled: 2 });
  const stopped = r.table.objects().find((x) => x.status === "stopped" && x.metric === "steps_done")!;
  assert.ok((stopped.value as number) < 20, `the stopped trial ran all ${stopped.value} steps`);
  assert.equal(lines(log), 2);
  const done = await resumeSweep(out, { concurrency: 2 });
  assert.deepEqual(done.counts, { ok: 4, failed: 0, stopped: 0, interrupted: 0, cancelled: 0 });
  // Resume ran the stopped trial again and the two cancelled ones, not the finished one.
  assert.equal(lines(log), 5);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { refineStudy } from "../../src/refine";

const tiny = { quick: true, seeds: [0, 1], ws: [0, 1], steps: 40, ns: [25, 50], widths: [4], n0: 25, width0: 4 };

test("refineStudy (tiny) returns long rows for both parts, checks against the base per seed, the verdict's parts and interval figures", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const r = await refineStudy({ ...tiny, onStep: (p) => seen.push(p.step) });
  assert.equal(tf.memory().numTensors, before);
  const rows = r.table.objects();
  for (const c of ["experiment", "model", "dataset", "seed", "metric", "value", "w", "n", "width"]) assert.ok(r.table.columnNames().includes(c), c);
  assert.deepEqual([...new Set(rows.map((x) => x.experiment))].sort(), ["guidance", "refinement"]);
  // 2 seeds x 2 configurations x (base, refined) held-out KLs; 2 seeds x 2 weights guidance errors.
  assert.equal(rows.filter((x) => x.metric === "heldout_kl").length, 8);
  assert.equal(rows.filter((x) => x.experiment === "guidance" && x.metric === "mode_weight_error").length, 4);
  assert.ok(rows.every((x) => Number.isFinite(x.value)));
  // The base model's KL is the same law on the same held-out points at every configuration of a seed.
  for (const s of [0, 1]) assert.equal(new Set(rows.filter((x) => x.seed === s && x.model === "base" && x.metric === "heldout_kl").map((x) => x.value)).size, 1);
  assert.equal(seen[seen.length - 1], 2 * (2 + 2));
  // Checks: n = 25, n = 50 against the base, the n trend, w = 1 against w = 0 (no w > 1: no overshoot check).
  assert.equal(r.checks.length, 4);
  assert.ok(r.checks.every((c) => c.measured.n === 2));
  assert.ok(["yes", "partly", "no"].includes(r.reproduced));
  assert.match(r.measured, /^quick mode: 2 seeds\./);
  assert.ok(r.untested.length >= 3);
  for (const f of [r.figures.klByN, r.figures.klByWidth, r.figures.guidance]) assert.ok((f.data[0] as { error_y?: unknown }).error_y, "error bars");
  assert.equal((r.figures.klByN.layout as { xaxis: { type: string } }).xaxis.type, "log");
  const ac = new AbortController(); ac.abort();
  await assert.rejects(refineStudy({ ...tiny, signal: ac.signal }), (e: Error) => e.name === "AbortError" && /refineStudy: aborted before run 1 of/.test(e.message));
  await assert.rejects(refineStudy({ ws: [] }), /refineStudy: argument 'opts.ws'/);
  await assert.rejects(refineStudy({ parts: ["fusion" as never] }), /refineStudy: argument 'opts.parts'/);
});

test("refineStudy on the sweep executor (a child process per trial) gives the in-process table", async () => {
  await initBackend();
  const one = { ...tiny, seeds: [1], parts: ["refinement" as const], ns: [25], steps: 20 };
  const inline = await refineStudy(one);
  const swept = await refineStudy({ ...one, executor: "local", concurrency: 1 });
  const key = (x: Record<string, unknown>) => `${x.model}/${x.metric}/${x.n}/${x.width}`;
  const a = new Map(inline.table.objects().map((x) => [key(x), x.value]));
  const b = swept.table.objects();
  assert.equal(b.length, a.size);
  for (const x of b) assert.equal(x.value, a.get(key(x)), key(x));
});

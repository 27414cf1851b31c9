import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { generalizationStudy } from "../../src/generalization/study";
import { verdict } from "../../src/studies/verdict";

const tiny = { ns: [8, 24], seeds: [0, 1], steps: 20, evalEvery: 10, patience: 1, valSize: 16, samples: 64, testSize: 64, samplerSteps: 20, width: 16, depth: 1 };

test("a quick generalization study gives a well-formed long table, five figures with intervals and a verdict by the rule", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  const r = await generalizationStudy({ quick: true, ...tiny, models: ["empirical-optimum", "dsm-mlp", "gap-objective-mlp", "fresh-data"], onStep: (p) => steps.push(p.step) });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(steps, Array.from({ length: 16 }, (_, i) => i + 1)); // 2 n x 2 seeds x 4 generators
  const rows = r.table.objects();
  for (const c of ["experiment", "model", "dataset", "seed", "metric", "value", "n"]) assert.ok(r.table.columnNames().includes(c), c);
  // 2 n x 2 seeds x (3 generators with a score x 10 metrics + the DSM MLP's 5 of training + fresh data x 7).
  assert.equal(rows.length, 2 * 2 * (3 * 10 + 5 + 7));
  for (const row of rows) assert.ok(Number.isFinite(row.value), `${row.model} ${row.metric} ${row.value}`);
  rows.filter((x) => x.metric === "memorization_rate").forEach((x) => assert.ok(x.value >= 0 && x.value <= 1));
  assert.equal(r.figures.memorization.data.length, 4);
  const mi = r.figures.mutualInformation;
  assert.equal(mi.data.length, 5); // four generators and the ceiling
  assert.ok(mi.data.every((t) => t.name === "ceiling log 2" || Array.isArray((t.error_y as { array: number[] }).array)));
  assert.deepEqual((mi.layout.xaxis as Record<string, unknown>).type, "log");
  // 3 checks per n and the trend; the verdict is what the checks say, and displays as the contract's lines.
  assert.equal(r.checks.length, 7);
  assert.equal(r.reproduced, r.checks.every((c) => c.passed) ? "yes" : r.checks.some((c) => c.passed) ? "partly" : "no");
  assert.match(r.measured, /^Quick mode: 2 seeds per n/);
  // Four runs per n (2 seeds x 2 sets), each with one outcome of the convergence rule; the MI's sample count.
  assert.match(r.convergence, /n = 8: \d of 4 runs met it[^;]*; n = 24: \d of 4 runs met it/);
  assert.match(r.monteCarlo, /^Monte Carlo of I\(L; B\): 128 samples per seed/);
  assert.match(verdict(r).toString(), /^CLAIM: The empirical optimal score memorizes[\s\S]*CHECK \[(pass|fail)\] I\(L; B\)[\s\S]*NOT TESTED: [\s\S]*REPRODUCED: (yes|partly|no)$/);
  await assert.rejects(generalizationStudy({ ns: [] }), /generalizationStudy: argument 'opts.ns'/);
  await assert.rejects(generalizationStudy({ seeds: [1, 1] }), /generalizationStudy: argument 'opts.seeds' must not repeat/);
  await assert.rejects(generalizationStudy({ executor: "cloud" as never }), /generalizationStudy: argument 'opts.executor'/);
});

test("seeds as trials of the local sweep executor give the same table as in-process", async () => {
  await initBackend();
  const o = { ...tiny, ns: [8], models: ["empirical-optimum" as const, "fresh-data" as const] };
  const local = await generalizationStudy(o);
  const swept = await generalizationStudy({ ...o, executor: "local", concurrency: 1 });
  const key = (r: Record<string, unknown>) => `${r.model} ${r.n} ${r.seed} ${r.metric}`;
  const sorted = (t: typeof local.table) => t.objects().sort((a, b) => key(a).localeCompare(key(b)));
  assert.deepEqual(sorted(swept.table), sorted(local.table));
  assert.deepEqual(swept.checks.map((c) => c.text), local.checks.map((c) => c.text));
});

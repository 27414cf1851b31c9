/** Sweep specs: one clear error before anything is enqueued; grid and random expansion; stable trial ids. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planSweep, stableId, sweep, trialsOf, type Executor, type SweepSpec } from "../../src/sweep";
import { resolveTrial } from "../../src/sweep/registry";

const lookup = (fn: string, module: string | undefined) => resolveTrial(fn, module, null).params;
const MODULE = path.join(__dirname, "fixtures", "trials.js");

test("bad specs get one error naming the problem, and nothing reaches the executor or the disk", async () => {
  const calls: number[] = [];
  const recorder: Executor = { name: "recorder", async run(trials) { calls.push(trials.length); }, running: () => 0, async close() {} };
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-spec-")), "never");
  const cases: [SweepSpec, RegExp][] = [
    [{ fn: "noSuchTrial", space: { n: [1] }, seeds: 1 }, /refused 'noSuchTrial': not a library trial \(known: trainScore, fusion\.fusionStudy1D/],
    [{ fn: "trainScore", space: {}, seeds: 1 }, /sweep: argument 'spec\.space' is empty/],
    [{ fn: "trainScore", space: { steps: [] }, seeds: 1 }, /sweep: argument 'spec\.space\.steps' is empty/],
    [{ fn: "trainScore", space: { learningRate: [1e-3] }, seeds: 1 }, /'spec\.space\.learningRate' is not a parameter of 'trainScore'; it takes: data, n, steps/],
    [{ fn: "square", module: MODULE, space: { x: [1] }, fixed: { y: 2 }, seeds: 1 }, /'spec\.fixed\.y' is not a parameter of 'square'; it takes: x, ms, steps, log/],
    [{ fn: "trainScore", space: { steps: [10] }, seeds: [0, 1.5] }, /sweep: argument 'spec\.seeds\[1\]' must be an integer, got 1\.5/],
    [{ fn: "trainScore", space: { steps: [10] }, seeds: ["3"] as unknown as number[] }, /'spec\.seeds\[0\]' must be an integer, got "3"/],
    [{ fn: "trainScore", space: { steps: { range: [1, 10] } }, seeds: 1 }, /'spec\.space\.steps\.count' must be a positive integer for grid search/],
    [{ fn: "trainScore", space: { lr: { logRange: [0, 1], count: 3 } }, seeds: 1 }, /is a log range and must be positive/],
    [{ fn: "trainScore", space: { seed: [1] }, seeds: 1 }, /'spec\.space\.seed' is a column every sweep row has/],
  ];
  for (const [spec, re] of cases) {
    await assert.rejects(sweep(spec, { executor: recorder, out }), re);
    assert.throws(() => planSweep(spec, lookup), re);
  }
  assert.deepEqual(calls, []);
  assert.equal(fs.existsSync(out), false);
});

test("grid: every combination in order, ranges and log ranges by count, fixed parameters merged", () => {
  const plan = planSweep({ fn: "trainScore", space: { n: [32, 64], lr: { logRange: [1e-4, 1e-2], count: 3 }, steps: { range: [10, 30], count: 3, integer: true } }, fixed: { width: 16 }, seeds: 2 }, lookup);
  assert.equal(plan.points.length, 2 * 3 * 3);
  assert.deepEqual(plan.points[0], { width: 16, n: 32, lr: 1e-4, steps: 10 });
  assert.deepEqual(plan.points.map((p) => p.steps).slice(0, 3), [10, 20, 30]);
  // exp(log(1e-4) + 0.5 (log(1e-2) - log(1e-4))) is 1e-3 up to a few ulps of the logs.
  assert.ok(Math.abs((plan.points[3].lr as number) - 1e-3) < 1e-15);
  assert.equal(plan.points[17].n, 64);
  const trials = trialsOf(plan, plan.points);
  assert.equal(trials.length, 36);
  assert.deepEqual(trials.slice(0, 2).map((t) => t.seed), [0, 1]);
  assert.equal(trials[0].point, trials[1].point);
  assert.notEqual(trials[0].id, trials[1].id);
  assert.equal(new Set(trials.map((t) => t.id)).size, 36);
});

test("random search: reproducible by searchSeed, inside its ranges, log-uniform draws, integers rounded", () => {
  const spec: SweepSpec = { fn: "trainScore", search: "random", samples: 200, searchSeed: 4, space: { lr: { logRange: [1e-4, 1e-1] }, steps: { range: [5, 9], integer: true }, data: ["moons", "gmm8"] }, seeds: [3] };
  const a = planSweep(spec, lookup).points, b = planSweep(spec, lookup).points;
  assert.deepEqual(a, b);
  assert.notDeepEqual(planSweep({ ...spec, searchSeed: 5 }, lookup).points, a);
  for (const p of a) {
    assert.ok((p.lr as number) >= 1e-4 && (p.lr as number) <= 1e-1);
    assert.ok(Number.isInteger(p.steps) && (p.steps as number) >= 5 && (p.steps as number) <= 9);
    assert.ok(p.data === "moons" || p.data === "gmm8");
  }
  // Log-uniform: each decade gets about a third of 200 draws; a uniform draw would put 90% in the top decade.
  const low = a.filter((p) => (p.lr as number) < 1e-3).length;
  assert.ok(low > 40 && low < 95, `draws below 1e-3: ${low}`);
});

test("trial ids are hashes of function, module, parameters and seed: key order does not matter", () => {
  assert.equal(stableId({ a: 1, b: [1, { c: 2, d: 3 }] }), stableId({ b: [1, { d: 3, c: 2 }], a: 1 }));
  const p1 = planSweep({ fn: "trainScore", space: { n: [8], steps: [2] }, seeds: 1 }, lookup);
  const p2 = planSweep({ fn: "trainScore", space: { steps: [2], n: [8] }, seeds: 1 }, lookup);
  assert.equal(trialsOf(p1, p1.points)[0].id, trialsOf(p2, p2.points)[0].id);
  const p3 = planSweep({ fn: "trainScore", space: { n: [8], steps: [2] }, seeds: [1] }, lookup);
  assert.notEqual(trialsOf(p1, p1.points)[0].id, trialsOf(p3, p3.points)[0].id);
});

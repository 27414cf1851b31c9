import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sweep } from "../../src/sweep/sweep";
import type { SweepSpec } from "../../src/sweep/spec";
import { LIBRARY_TRIALS, GRADE_TRIAL } from "../../src/sweep/library-trials";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-sweep-library-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("a real library trial: trainScore on moons, checkpoint in the run folder, the same numbers from the same seed", { timeout: 60_000 }, async () => {
  const spec: SweepSpec = { fn: "trainScore", space: { steps: [3] }, fixed: { data: "moons", n: 64, width: 8, depth: 1, batchSize: 16, testSize: 32 }, seeds: [0, 1] };
  const a = await sweep(spec, { out: path.join(tmp, "e1"), concurrency: 2 });
  const b = await sweep(spec, { out: path.join(tmp, "e2"), concurrency: 1 });
  assert.equal(a.counts.ok, 2);
  const values = (r: typeof a) => r.table.objects().map((x) => [x.trial, x.metric, x.value]);
  assert.deepEqual(values(a), values(b));
  assert.ok(a.table.objects().every((x) => Number.isFinite(x.value) && x.dataset === "moons"));
  const seeds = a.table.objects().filter((x) => x.metric === "test_dsm").map((x) => x.value);
  assert.notEqual(seeds[0], seeds[1]);
  const dir = path.join(a.dir, "trials", a.table.objects()[0].trial as string);
  assert.ok(fs.readdirSync(path.join(dir, "checkpoint")).length > 0);
  assert.match(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).backend, /backend/);
});

test("the library table: every trial names its parameters and says what it runs; study trials take their swept size", () => {
  for (const [name, t] of Object.entries(LIBRARY_TRIALS)) {
    assert.ok(Array.isArray(t.params) && t.params.every((p) => typeof p === "string" && p.length > 0), `${name}: params`);
    assert.ok(typeof t.description === "string" && t.description.length > 10, `${name}: description`);
    assert.equal(typeof t.run, "function", name);
  }
  assert.equal(GRADE_TRIAL, "check.gradeNotebook");
  for (const name of ["trainScore", "flow.flowSeed", "bounds.trainedSchedules", GRADE_TRIAL]) assert.ok(name in LIBRARY_TRIALS, name);
  assert.deepEqual(LIBRARY_TRIALS.trainScore.params, ["data", "n", "steps", "batchSize", "lr", "width", "depth", "sde", "ema", "testSize"]);
  // A study trial takes the swept parameter first, then the study options it passes on.
  assert.equal(LIBRARY_TRIALS["fusion.fusionStudy1D"].params[0], "n");
  assert.equal(LIBRARY_TRIALS["refine.refineStudy"].params[0], "w");
});

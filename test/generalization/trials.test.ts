import { test } from "node:test";
import assert from "node:assert/strict";
import { GENERALIZATION_SEED_TRIAL } from "../../src/generalization/trials";
import { defaultSizes, generalizationSeed } from "../../src/generalization/seed-run";

test("the generalization.seed trial takes every size of a seed run and gives generalizationSeed's rows", async () => {
  // A size missing from params would be refused by the sweep before anything runs.
  for (const k of ["n", ...Object.keys(defaultSizes(false))]) assert.ok(GENERALIZATION_SEED_TRIAL.params.includes(k), k);
  const p = { n: 6, models: ["empirical-optimum", "fresh-data"], samples: 32, testSize: 32, valSize: 8, samplerSteps: 10 };
  const signal = new AbortController().signal;
  const rows = await GENERALIZATION_SEED_TRIAL.run(p, { seed: 3, dir: "/nonexistent", signal });
  const direct = await generalizationSeed({ ...defaultSizes(false), ...p, models: ["empirical-optimum", "fresh-data"], seed: 3 });
  assert.deepEqual(rows, direct);
  assert.ok(direct.length > 0);
});

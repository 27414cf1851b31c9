import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { linearSchedule } from "../../src/sde";
import { exactGaussianKL, klBound } from "../../src/bounds";

const target = { mean: [0.5], cov: [[0.5]] };

test("klBound and exactGaussianKL refuse steps past 1e6 with a clear Error", async () => {
  await initBackend();
  assert.throws(() => klBound({ schedule: linearSchedule(), target, steps: 1e12 }), /klBound: argument 'steps' must be <= 1000000/);
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), target, steps: 1e12, sampler: "euler" }), /exactGaussianKL: argument 'steps' must be <= 1000000/);
  assert.ok(Number.isFinite(klBound({ schedule: linearSchedule(), target, steps: 10 }).total));
});

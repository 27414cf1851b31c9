// The VE kind (src/sde/kinds/ve.ts): Song et al. 2021, eq. 9, in closed form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../../src/tensor/backend";
import { VE_KIND } from "../../../src/sde/kinds/ve";
import { BS, near, tensorFormsMatchScalar } from "./check-kind";

test("VE: a = 1, s^2 = B, f = 0, g^2 = beta, prior variance B(T)", async () => {
  await initBackend();
  for (const b of BS) {
    assert.deepEqual(VE_KIND.marginalOf(b), { scale: 1, std: Math.sqrt(b) });
    assert.equal(VE_KIND.diffusionSq(3, b), 3);
  }
  assert.equal(VE_KIND.driftCoef(5), 0);
  assert.equal(VE_KIND.priorVar(2500), 2500);
  assert.equal(VE_KIND.varianceIsB, true);
  assert.equal(VE_KIND.takesSigmas, true);
  tensorFormsMatchScalar(VE_KIND);
});

test("VE's default schedule is geometric from sigmaMin 0.01 to sigmaMax 50: s^2(t) = sigma(t)^2 - sigmaMin^2", () => {
  const dflt = VE_KIND.defaultSchedule({ T: 1 }, "veSDE");
  // sigma(1) = sigmaMax: B(1) = 50^2 - 0.01^2, in float64 (1e-12 relative).
  near(dflt.integral(1), 2500 - 1e-4, "default B(1)", 1e-12);
  const s = VE_KIND.defaultSchedule({ T: 1, sigmaMin: 0.1, sigmaMax: 10 }, "veSDE");
  // sigma(t) = sigmaMin (sigmaMax / sigmaMin)^t: at t = 1/2, sigma = 1.
  near(s.integral(0.5), 1 - 0.01, "B(1/2) with sigmas 0.1..10", 1e-12);
});

// The sub-VP kind (src/sde/kinds/subvp.ts): Song et al. 2021, eq. 12, in closed form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../../src/tensor/backend";
import { SUBVP_KIND } from "../../../src/sde/kinds/subvp";
import { VP_KIND } from "../../../src/sde/kinds/vp";
import { BS, near, tensorFormsMatchScalar } from "./check-kind";

test("sub-VP: VP's mean, s = 1 - e^{-B} (so s = s_VP^2 <= s_VP), g^2 = beta (1 - e^{-2B}), prior N(0, 1)", async () => {
  await initBackend();
  for (const b of BS) {
    const sub = SUBVP_KIND.marginalOf(b), vp = VP_KIND.marginalOf(b);
    // float64 scalar forms: 1e-12 covers exp/expm1 rounding.
    near(sub.scale, vp.scale, `scale(${b})`, 1e-12);
    near(sub.std, vp.std * vp.std, `std(${b}) = s_VP^2`, 1e-12);
    assert.ok(sub.std <= vp.std, `the sub-VP std stays below the VP one at B=${b}`);
    near(SUBVP_KIND.diffusionSq(2, b), 2 * (1 - Math.exp(-2 * b)), `g^2(${b})`, 1e-12);
  }
  assert.equal(SUBVP_KIND.driftCoef(4), -2);
  assert.equal(SUBVP_KIND.priorVar(10.05), 1);
  tensorFormsMatchScalar(SUBVP_KIND);
});

test("sub-VP's default schedule is the linear one, and sigma options are refused by name", () => {
  near(SUBVP_KIND.defaultSchedule({ T: 1 }, "subVpSDE").integral(1), 10.05, "B(1)", 1e-12);
  assert.throws(() => SUBVP_KIND.defaultSchedule({ T: 1, sigmaMin: 0.1 }, "subVpSDE"), /subVpSDE: argument 'sigmaMin' and sigmaMax apply to the VE SDE only, not subvp/);
});

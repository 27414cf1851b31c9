// The VP kind (src/sde/kinds/vp.ts): Song et al. 2021, eq. 11, in closed form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../../src/tensor/backend";
import { VP_KIND } from "../../../src/sde/kinds/vp";
import { BS, near, tensorFormsMatchScalar } from "./check-kind";

test("VP: a = e^{-B/2}, s^2 = 1 - e^{-B}, so a^2 + s^2 = 1; f = -beta/2; g^2 = beta; prior N(0, 1)", async () => {
  await initBackend();
  for (const b of BS) {
    const { scale, std } = VP_KIND.marginalOf(b);
    // Scalar forms in float64: 1e-12 is far above the rounding of exp and sqrt.
    near(scale, Math.exp(-b / 2), `scale(${b})`, 1e-12);
    near(scale * scale + std * std, 1, `a^2 + s^2 at B=${b}`, 1e-12);
  }
  // expm1 keeps the small-B std accurate: s ~ sqrt(B) for B -> 0, where 1 - e^{-B} would lose digits.
  near(VP_KIND.marginalOf(1e-12).std, Math.sqrt(1e-12), "std at B=1e-12", 1e-6);
  assert.equal(VP_KIND.driftCoef(4), -2);
  assert.equal(VP_KIND.diffusionSq(4, 100), 4);
  assert.equal(VP_KIND.priorVar(10.05), 1);
  assert.equal(VP_KIND.varianceIsB, false);
  tensorFormsMatchScalar(VP_KIND);
});

test("VP's default schedule is the linear one up to T, and sigma options are refused by name", () => {
  const s = VP_KIND.defaultSchedule({ T: 1 }, "vpSDE");
  // The linear schedule beta(t) = 0.1 + 19.9 t: B(1) = 0.1 + 9.95 (DDPM's betas in continuous time).
  near(s.integral(1), 10.05, "B(1)", 1e-12);
  assert.throws(() => VP_KIND.defaultSchedule({ T: 1, sigmaMax: 50 }, "vpSDE"), /vpSDE: argument 'sigmaMin' and sigmaMax apply to the VE SDE only, not vp/);
});

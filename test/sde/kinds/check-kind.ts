/** Checks shared by the SDE-kind tests: a kind's tensor forms give its scalar forms, element by element. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { SDEKindSpec } from "../../../src/sde/kinds/kind";

/** The integrals B and rates beta each kind test evaluates at: from the start of a schedule to a VP's B(1) = 10.05. */
export const BS = [1e-4, 0.05, 1, 10.05];
export const BETAS = [0.1, 3, 20, 20];

/** Asserts |got - want| <= tol * (1 + |want|) with a message naming what. */
export function near(got: number, want: number, what: string, tol: number): void {
  assert.ok(Math.abs(got - want) <= tol * (1 + Math.abs(want)), `${what}: ${got} vs ${want}`);
}

/** The tensor forms (float32) against the scalar forms (float64) at BS and BETAS: 1e-5 relative is ~100 float32 ulps,
 * room for exp/expm1/sqrt rounding while any wrong formula differs by order 1. */
export function tensorFormsMatchScalar(spec: SDEKindSpec): void {
  tf.tidy(() => {
    const b = tf.tensor1d(BS), beta = tf.tensor1d(BETAS);
    const m = spec.marginalOfT(b);
    const [scale, std, drift, g2] = [m.scale, m.std, spec.driftCoefT(beta), spec.diffusionSqT(beta, b)].map((t) => t.dataSync());
    BS.forEach((bi, i) => {
      const want = spec.marginalOf(bi);
      near(scale[i], want.scale, `${spec.name} scale(B=${bi})`, 1e-5);
      near(std[i], want.std, `${spec.name} std(B=${bi})`, 1e-5);
      near(drift[i], spec.driftCoef(BETAS[i]), `${spec.name} drift(beta=${BETAS[i]})`, 1e-5);
      near(g2[i], spec.diffusionSq(BETAS[i], bi), `${spec.name} g^2(B=${bi})`, 1e-5);
    });
  });
}

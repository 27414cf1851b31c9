import { test } from "node:test";
import assert from "node:assert/strict";
import { noiseLevelSDE } from "../../src/flow/noise-level";

test("noiseLevelSDE is the VE SDE x_t = x_0 + t eps: scale 1 and std t, on [min(1e-6, T/2), T]", () => {
  const sde = noiseLevelSDE(5);
  assert.equal(sde.kind, "ve");
  assert.equal(sde.T, 5);
  assert.equal(sde.tMin, 1e-6);
  for (const t of [0.3, 1, 4.5]) {
    const m = sde.marginalAt(t);
    // std = sqrt(B(t)) with B(t) = t^2: one float64 square root of a square, exact to an ulp.
    assert.equal(m.scale, 1);
    assert.ok(Math.abs(m.std - t) < 1e-15 * Math.max(1, t), `std at ${t}: ${m.std}`);
  }
  assert.equal(noiseLevelSDE().T, 10);
  assert.equal(noiseLevelSDE(1e-6).tMin, 5e-7);
  assert.throws(() => noiseLevelSDE(0), /noiseLevelSDE: argument 'T' must be > 0/);
  assert.throws(() => noiseLevelSDE(Number.NaN), /noiseLevelSDE: argument 'T'/);
});

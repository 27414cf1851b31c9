// The noise level sigma(t) = s(t) / a(t) and its inverse (src/sde/sigma.ts; Karras et al. 2022, eq. 4).
import { test } from "node:test";
import assert from "node:assert/strict";
import { subVpSDE, veSDE, vpSDE } from "../../src/sde/sde";
import { halfLogSnrAt, sigmaAt, timeAtSigma } from "../../src/sde/sigma";

// B(t) = 0.1 t + 9.95 t^2 for the default linear schedule, written out independently of the library.
const B = (t: number) => 0.1 * t + 9.95 * t * t;
const near = (got: number, want: number, what: string, tol = 1e-12) =>
  assert.ok(Math.abs(got - want) <= tol * (1 + Math.abs(want)), `${what}: ${got} vs ${want}`);

// Scalar float64 functions of the SDE: no tensor backend is needed.
test("sigma(t) in closed form: VP sqrt(e^B - 1), VE sqrt(B), sub-VP 2 sinh(B/2); lambda = -log sigma", () => {
  const ve = veSDE({ sigmaMin: 0.1, sigmaMax: 10 });
  for (const t of [0.01, 0.3, 1]) {
    // All float64 scalar arithmetic: 1e-12 relative.
    near(sigmaAt(vpSDE(), t), Math.sqrt(Math.expm1(B(t))), `VP sigma(${t})`);
    near(sigmaAt(subVpSDE(), t), 2 * Math.sinh(B(t) / 2), `sub-VP sigma(${t})`);
    const sig = 0.1 * 100 ** t;
    near(sigmaAt(ve, t), Math.sqrt(sig * sig - 0.01), `VE sigma(${t})`);
    near(halfLogSnrAt(vpSDE(), t), -Math.log(Math.sqrt(Math.expm1(B(t)))), `VP lambda(${t})`);
  }
});

test("timeAtSigma inverts sigmaAt to float64 resolution, returns the ends at the ends, and refuses sigma past sigma(T)", () => {
  for (const sde of [vpSDE(), veSDE(), subVpSDE()]) {
    for (const t of [1e-3, 0.25, 0.7]) {
      // Bisection to the last bit of t; sigma'(t) is bounded on these grids, so 1e-9 in t is ample.
      assert.ok(Math.abs(timeAtSigma(sde, sigmaAt(sde, t)) - t) < 1e-9, `${sde.kind} t=${t}`);
    }
    assert.equal(timeAtSigma(sde, sigmaAt(sde, sde.T)), sde.T);
    assert.equal(timeAtSigma(sde, 0), 0);
  }
  const top = sigmaAt(vpSDE(), 1);
  assert.throws(() => timeAtSigma(vpSDE(), top * 2), new RegExp(`timeAtSigma: argument 'sigma' must be <= sigma\\(T\\) = ${top} \\(the SDE's largest noise level\\), got ${top * 2}`));
  assert.throws(() => timeAtSigma(vpSDE(), -1, "edmHeun"), /edmHeun: argument 'sigma' must be >= 0, got -1/);
  assert.throws(() => timeAtSigma(vpSDE(), NaN), /timeAtSigma: argument 'sigma' must be a finite number/);
});

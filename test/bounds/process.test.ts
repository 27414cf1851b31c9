import { test } from "node:test";
import assert from "node:assert/strict";
import { cosineSchedule, vpSDE } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { linearProcess } from "../../src/bounds/process";

// A correlated 2-D target, so that the eigenbasis shortcut of the recursion is exercised.
const target = { mean: [1, -0.5], cov: [[0.6, 0.25], [0.25, 0.4]] };

test("an SDE object and the equivalent bare schedule give the same law", () => {
  const sde = vpSDE({ schedule: cosineSchedule() });
  const a = exactGaussianKL({ sde, tMin: 0, target, steps: 50 });
  const b = exactGaussianKL({ schedule: cosineSchedule(), target, steps: 50 });
  assert.ok(Math.abs(a.kl - b.kl) < 1e-9 * (1 + b.kl));
});

test("the schedule form is dX = -beta / (2 s_inf^2) X dt + sqrt(beta) dB: a(t) = exp(-B / (2 s^2)), v(t) = s^2 (1 - exp(-B / s^2))", () => {
  const schedule = { name: "const", beta: () => 2, integral: (t: number) => 2 * t };
  const p = linearProcess({ schedule, sInf: 0.5, T: 3 }, "f");
  assert.equal(p.name, "const");
  assert.deepEqual([p.T, p.tMin, p.priorVar, p.sInf], [3, 0, 0.25, 0.5]);
  assert.equal(p.f(1), -4);
  assert.equal(p.g2(1), 2);
  // float64 exp and expm1 of the same arguments: equal to a few ulps.
  assert.ok(Math.abs(p.a(1) - Math.exp(-4)) < 1e-16);
  assert.ok(Math.abs(p.v(1) - 0.25 * (1 - Math.exp(-8))) < 1e-16);
  // v(t) keeps its accuracy near 0, where 1 - exp(-B) cancels: v ~ beta t.
  assert.ok(Math.abs(p.v(1e-12) / 2e-12 - 1) < 1e-9);
  const bare = linearProcess({ schedule: { beta: () => 1, integral: (t) => t } }, "f");
  assert.equal(bare.name, "schedule");
  assert.ok(Math.abs(bare.a(1) - Math.exp(-0.5)) < 1e-16);
});

test("the SDE form reads the SDE's own marginal, drift, diffusion and prior; bad input names the function", () => {
  const sde = vpSDE();
  const p = linearProcess({ sde }, "f");
  assert.equal(p.tMin, sde.tMin);
  for (const t of [0.1, 0.5, 1]) {
    assert.equal(p.a(t), sde.marginalAt(t).scale);
    assert.equal(p.v(t), sde.marginalAt(t).std ** 2);
    assert.equal(p.g2(t), sde.diffusionAt(t) ** 2);
    assert.equal(p.f(t), sde.driftCoefAt(t));
  }
  assert.equal(p.priorVar, sde.priorVar);
  assert.equal(p.sInf, 1);
  assert.equal(linearProcess({ sde, tMin: 0.25 }, "f").tMin, 0.25);
  assert.throws(() => linearProcess({ sde: {} as never }, "f"), /f: argument 'sde' must be an SDE with marginalAt/);
  assert.throws(() => linearProcess({ sde, tMin: 1 }, "f"), /f: argument 'tMin'/);
  assert.throws(() => linearProcess({}, "f"), /f: argument 'schedule' must be an object with beta\(t\) and integral\(t\)/);
  assert.throws(() => linearProcess({ schedule: { beta: () => 0, integral: () => 0 } }, "f"), /f: argument 'schedule' must give a finite beta\(T\) > 0, got 0/);
  assert.throws(() => linearProcess({ schedule: cosineSchedule(), sInf: 0 }, "f"), /f: argument 'sInf'/);
});

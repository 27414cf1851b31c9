import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { constantSchedule, cosineSchedule, exponentialSchedule, geometricSchedule, linearSchedule, userSchedule, vpSDE } from "../../src/sde";
import type { NoiseSchedule } from "../../src/sde";

/** Composite Simpson's rule with m (even) intervals; error O(h^4 max|beta''''|), far below the tolerances used. */
function simpson(f: (t: number) => number, a: number, b: number, m = 4000): number {
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

const schedules: [string, NoiseSchedule][] = [
  ["linear", linearSchedule()],
  ["cosine", cosineSchedule()],
  ["constant", constantSchedule({ beta: 3 })],
  ["exponential a=-10", exponentialSchedule({ a: -10 })],
  ["exponential a=4", exponentialSchedule({ a: 4 })],
  ["exponential a=1e-9", exponentialSchedule({ a: 1e-9 })],
  ["geometric", geometricSchedule({ sigmaMin: 0.01, sigmaMax: 50 })],
  ["user", userSchedule({ beta: (t) => 0.5 + 10 * t * t + Math.sin(5 * t) ** 2 })],
];

test("each schedule's integral equals the quadrature of its beta", async () => {
  await initBackend();
  for (const [name, s] of schedules) {
    for (const t of [0.05, 0.37, 0.8, 0.995, 1]) {
      // Simpson with 4000 intervals is exact to ~1e-12 relative for smooth beta; the cosine's beta has a kink at its
      // clip point (derivative jump ~betaMax^2/2 = 5e3), where Simpson's error is O(h^2 * jump) ~ 1e-3 absolute.
      const q = simpson((u) => s.beta(u), 0, t);
      const tol = name === "cosine" ? 2e-3 : 1e-8 * Math.max(1, Math.abs(q));
      assert.ok(Math.abs(s.integral(t) - q) <= tol, `${name} at t=${t}: integral ${s.integral(t)} vs quadrature ${q}`);
    }
  }
});

test("tensor versions agree with the scalar ones (float32 rounding)", () => {
  const ts = [0, 0.01, 0.3, 0.77, 0.99, 1];
  for (const [name, s] of schedules) {
    const t = tf.tensor1d(ts);
    const b = s.betaT(t).dataSync();
    const B = s.integralT(t).dataSync();
    ts.forEach((u, i) => {
      // float32 has 24 bits: 1e-5 relative leaves room for the few operations in each formula.
      assert.ok(Math.abs(b[i] - s.beta(u)) <= 1e-5 * Math.max(1, s.beta(u)), `${name} beta(${u}): ${b[i]} vs ${s.beta(u)}`);
      assert.ok(Math.abs(B[i] - s.integral(u)) <= 1e-5 * Math.max(1, s.integral(u)), `${name} B(${u}): ${B[i]} vs ${s.integral(u)}`);
    });
    tf.dispose(t);
  }
});

test("cosine schedule: a(t)^2 = alpha_bar(t) of Nichol & Dhariwal below the clip point", () => {
  const c = 0.008;
  const f = (t: number) => Math.cos(((t + c) / (1 + c)) * Math.PI / 2) ** 2;
  const sde = vpSDE({ schedule: cosineSchedule() });
  for (const t of [0, 0.1, 0.5, 0.9, 0.97]) {
    const a = sde.marginalAt(t).scale;
    assert.ok(Math.abs(a * a - f(t) / f(0)) < 1e-12, `t=${t}: a^2 ${a * a} vs ${f(t) / f(0)}`);
  }
  // Past the clip point beta is constant at betaMax and alpha_bar stays positive.
  assert.equal(cosineSchedule().beta(1), 100);
  assert.ok(sde.marginalAt(1).scale > 0 && sde.marginalAt(1).scale < 0.05);
});

test("exponential family: endpoints, and a -> 0 is the linear schedule", () => {
  for (const a of [-10, -1, 2, 10]) {
    const s = exponentialSchedule({ a, betaMin: 0.1, betaMax: 20 });
    assert.ok(Math.abs(s.beta(0) - 0.1) < 1e-12 && Math.abs(s.beta(1) - 20) < 1e-9, `a=${a}`);
  }
  const lin = linearSchedule();
  for (const a of [1e-9, 1e-5]) {
    const s = exponentialSchedule({ a });
    // Near a = 0, beta_a(t) = linear + O(a): 1e-5 * 20 bounds the deviation.
    for (const t of [0.2, 0.7]) assert.ok(Math.abs(s.integral(t) - lin.integral(t)) < 1e-3, `a=${a}, t=${t}`);
  }
});

test("user schedule: the tabulated integral matches the closed form", () => {
  // beta = 1 + sin(3t)^2 has B(t) = 1.5 t - sin(6t)/12.
  const s = userSchedule({ beta: (t) => 1 + Math.sin(3 * t) ** 2 });
  for (const t of [0, 1e-4, 0.123, 0.5, 0.9999, 1]) {
    const exact = 1.5 * t - Math.sin(6 * t) / 12;
    assert.ok(Math.abs(s.integral(t) - exact) < 1e-10, `t=${t}: ${s.integral(t)} vs ${exact}`);
  }
  const given = userSchedule({ beta: (t) => 2 * t, integral: (t) => t * t });
  assert.equal(given.integral(0.5), 0.25);
});

test("bad schedule arguments throw errors that name them", () => {
  assert.throws(() => linearSchedule({ beta0: -1 }), /linearSchedule: argument 'beta0'/);
  assert.throws(() => geometricSchedule({ sigmaMin: 2, sigmaMax: 1 }), /geometricSchedule: argument 'sigmaMax'/);
  assert.throws(() => exponentialSchedule({ a: NaN }), /exponentialSchedule: argument 'a'/);
  assert.throws(() => constantSchedule({ beta: 0 }), /constantSchedule: argument 'beta'/);
  assert.throws(() => userSchedule({} as never), /userSchedule: argument 'opts.beta'/);
  assert.throws(() => userSchedule({ beta: (t) => t - 1 }), /userSchedule: argument 'beta'/);
  assert.throws(() => cosineSchedule({ betaMax: 0.01 }), /cosineSchedule: argument 'betaMax'/);
});

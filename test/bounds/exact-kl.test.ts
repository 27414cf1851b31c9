import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend, Rng } from "../../src/tensor";
import { exponentialSchedule, linearSchedule, vpSDE } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { gaussianKL } from "../../src/bounds/gaussian";
import { inverseSPD } from "../../src/linalg";

// A correlated 2-D target, so that the eigenbasis shortcut of the recursion is exercised.
const target = { mean: [1, -0.5], cov: [[0.6, 0.25], [0.25, 0.4]] };

/**
 * Runs the actual sampler on many particles in plain float64 with full matrices (independent of the per-eigenvalue
 * recursion): Euler–Maruyama of the reverse SDE or Heun on the probability-flow ODE, exact score of p_t.
 */
function simulate(sampler: "euler" | "heun", steps: number, n: number, rng: Rng): { mean: number[]; cov: number[][] } {
  const sch = linearSchedule();
  const a = (t: number) => Math.exp(-sch.integral(t) / 2), v = (t: number) => -Math.expm1(-sch.integral(t));
  const prec = (t: number) => inverseSPD(target.cov.map((r, i) => r.map((c, j) => a(t) ** 2 * c + (i === j ? v(t) : 0))));
  const score = (x: number[], t: number) => { const P = prec(t); const r = x.map((xi, i) => xi - a(t) * target.mean[i]); return P.map((row) => -row.reduce((s, p, j) => s + p * r[j], 0)); };
  const h = 1 / steps;
  const sum = [0, 0], sq = [[0, 0], [0, 0]];
  for (let p = 0; p < n; p++) {
    let x = [rng.nextNormal(), rng.nextNormal()];
    for (let k = 0; k < steps; k++) {
      const hi = 1 - k * h, lo = 1 - (k + 1) * h;
      const b = sch.beta(hi);
      if (sampler === "euler") {
        const s = score(x, hi);
        x = x.map((xi, i) => xi + h * (b / 2 * xi + b * s[i]) + Math.sqrt(b * h) * rng.nextNormal());
      } else {
        const D = (y: number[], t: number) => { const s = score(y, t); const bt = sch.beta(t); return y.map((yi, i) => bt / 2 * yi + bt / 2 * s[i]); };
        const d1 = D(x, hi); const xt = x.map((xi, i) => xi + h * d1[i]); const d2 = D(xt, lo);
        x = x.map((xi, i) => xi + (h / 2) * (d1[i] + d2[i]));
      }
    }
    for (let i = 0; i < 2; i++) { sum[i] += x[i]; for (let j = 0; j < 2; j++) sq[i][j] += x[i] * x[j]; }
  }
  const mean = sum.map((s) => s / n);
  return { mean, cov: sq.map((r, i) => r.map((s, j) => s / n - mean[i] * mean[j])) };
}

test("the exact recursion matches the moments of the simulated Euler–Maruyama sampler (d = 2, 4 steps)", async () => {
  await initBackend();
  const n = 20000;
  const mc = simulate("euler", 4, n, new Rng(11));
  // simulate() adds noise on every step, the last included.
  const ex = exactGaussianKL({ schedule: linearSchedule(), target, steps: 4, sampler: "euler", lastStepNoise: true });
  // Sampling error: the mean's standard error is sqrt(C_ii / n); a variance estimate's is about C_ii sqrt(2 / n).
  // 5 standard errors: a false alarm has probability ~1e-6 per entry. Coarse steps make these moments far from
  // the target's, so a wrong recursion would not pass by accident (checked below).
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(mc.mean[i] - ex.mean[i]) < 5 * Math.sqrt(ex.cov[i][i] / n), `mean ${i}: ${mc.mean[i]} vs ${ex.mean[i]}`);
    for (let j = 0; j < 2; j++) {
      const se = Math.sqrt((ex.cov[i][i] * ex.cov[j][j] + ex.cov[i][j] ** 2) / n);
      assert.ok(Math.abs(mc.cov[i][j] - ex.cov[i][j]) < 5 * se, `cov ${i}${j}: ${mc.cov[i][j]} vs ${ex.cov[i][j]}`);
    }
  }
  assert.ok(ex.kl > 0.05, `4 Euler steps should be visibly off the target, KL ${ex.kl}`);
  // The KL of the fitted Gaussian agrees with the recursion's KL within the moments' error.
  const klMC = gaussianKL(target, mc);
  assert.ok(Math.abs(klMC - ex.kl) < 0.1 * ex.kl + 0.01, `KL from samples ${klMC} vs exact ${ex.kl}`);
});

test("the exact recursion matches the simulated Heun probability-flow sampler (deterministic map of the prior)", () => {
  const n = 8000;
  const mc = simulate("heun", 3, n, new Rng(5));
  const ex = exactGaussianKL({ schedule: linearSchedule(), target, steps: 3, sampler: "heun" });
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(mc.mean[i] - ex.mean[i]) < 5 * Math.sqrt(ex.cov[i][i] / n));
    for (let j = 0; j < 2; j++) {
      const se = Math.sqrt((ex.cov[i][i] * ex.cov[j][j] + ex.cov[i][j] ** 2) / n);
      assert.ok(Math.abs(mc.cov[i][j] - ex.cov[i][j]) < 5 * se, `cov ${i}${j}: ${mc.cov[i][j]} vs ${ex.cov[i][j]}`);
    }
  }
});

test("refining the grid drives the exact KL to the prior-mismatch floor, and to ~0 from the true marginal", () => {
  for (const sampler of ["euler", "ei", "heun"] as const) {
    const kl = (steps: number, init: "prior" | "marginal") => exactGaussianKL({ schedule: linearSchedule(), target, steps, sampler, init }).kl;
    // Discretisation error is O(h) for these schemes: 10x more steps must cut it by well over 3x.
    assert.ok(kl(1000, "marginal") < kl(100, "marginal") / 3, sampler);
    assert.ok(kl(2000, "marginal") < 1e-4, `${sampler}: ${kl(2000, "marginal")}`);
  }
  // Exponential integrator with one step from the exact marginal on a constant schedule is not exact (score frozen),
  // but the exact-marginal start removes the prior term: the EI KL at 2000 steps is far below Euler at 20.
  const ei = exactGaussianKL({ schedule: linearSchedule(), target, steps: 2000, sampler: "ei", init: "marginal" }).kl;
  assert.ok(ei < 1e-5, `EI: ${ei}`);
});

test("reproduces the digest's independent check (d = 10, N(1, 0.5 I), Euler, 100 steps) when coefficients are taken at the step's end", () => {
  // PAPERS.md §5: KL 0.0053 at a = -10, 0.0010 at a = 0, 0.0002 at a = 4, 0.040 at a = 10 (rounded as printed).
  const expect: [number, number, number][] = [[-10, 0.0053, 0.00005], [0, 0.0010, 0.00005], [4, 0.0002, 0.00005], [10, 0.040, 0.0005]];
  const tg = { mean: new Array(10).fill(1), cov: 0.5 };
  for (const [a, kl, tol] of expect) {
    // The digest's check used the textbook scheme, with noise on the last step too.
    const r = exactGaussianKL({ schedule: exponentialSchedule({ a }), target: tg, steps: 100, sampler: "euler", evalAt: "end", lastStepNoise: true });
    assert.ok(Math.abs(r.kl - kl) <= tol, `a = ${a}: ${r.kl} vs ${kl}`);
  }
  // With left-point coefficients (our default) the ends differ: a = 10 gives about 0.025, still the U shape.
  const left = [-10, 0, 4, 10].map((a) => exactGaussianKL({ schedule: exponentialSchedule({ a }), target: tg, steps: 100 }).kl);
  assert.ok(left[2] < left[1] && left[1] < left[0] && left[2] < left[3], `U shape: ${left}`);
});

test("bad input to exactGaussianKL errors with the argument named", () => {
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), target, steps: 0 }), /exactGaussianKL: argument 'steps'/);
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), target: { mean: [0, 0], cov: [[1, 2], [2, 1]] }, steps: 5 }), /argument 'target.cov'/);
  assert.throws(() => exactGaussianKL({ target, steps: 5 } as never), /argument 'schedule'/);
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), target, steps: 5, sampler: "rk4" as never }), /argument 'sampler'/);
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), sde: vpSDE(), target, steps: 5 }), /either 'sde' or 'schedule'/);
});

test("exactGaussianKL refuses steps past 1e6 with a clear Error", async () => {
  await initBackend();
  const target = { mean: [0.5], cov: [[0.5]] };
  assert.throws(() => exactGaussianKL({ schedule: linearSchedule(), target, steps: 1e12, sampler: "euler" }), /exactGaussianKL: argument 'steps' must be <= 1000000/);
});

test("exactGaussianKL refuses a non-boolean lastStepNoise", () => {
  const target = { mean: [0], cov: 1 };
  assert.throws(() => exactGaussianKL({ sde: vpSDE(), target, steps: 3, lastStepNoise: "yes" as never }), /exactGaussianKL: argument 'lastStepNoise' must be true or false/);
});

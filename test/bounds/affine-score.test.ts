import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/tensor";
import { exponentialSchedule, linearSchedule } from "../../src/sde";
import { linearProcess, exactRecursion, exactGaussianKL, fitAffineScore, affineScoreErrorSq, exactAffineScore, shiftedLegendre, type EigenTarget } from "../../src/bounds";

const p = linearProcess({ schedule: linearSchedule() }, "test");
const mu = [1, -0.5], vars = [0.5, 0.2];
const tg: EigenTarget = { mu, lambda: vars, vectors: [[1, 0], [0, 1]] };

test("shifted Legendre polynomials match their closed forms on [0, 1]", () => {
  for (const a of [0, 0.3, 1]) {
    const y = 2 * a - 1;
    const P = shiftedLegendre(a, 3);
    // P_2 = (3y^2 - 1)/2, P_3 = (5y^3 - 3y)/2 (Legendre), at y = 2a - 1.
    assert.ok(Math.abs(P[0] - 1) + Math.abs(P[1] - y) + Math.abs(P[2] - (3 * y * y - 1) / 2) + Math.abs(P[3] - (5 * y ** 3 - 3 * y) / 2) < 1e-12);
  }
});

test("the recursion with the exact score given as affine coefficients equals the built-in exact recursion", () => {
  for (const sampler of ["euler", "ei"] as const) {
    const a = exactRecursion(p, tg, { steps: 17, sampler, lastStepNoise: true });
    const b = exactRecursion(p, tg, { steps: 17, sampler, lastStepNoise: true, score: exactAffineScore(p, mu, vars) });
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(a.m[i] - b.m[i]) < 1e-12 && Math.abs(a.c[i] - b.c[i]) < 1e-12, sampler);
  }
  assert.throws(() => exactRecursion(p, tg, { steps: 5, sampler: "heun", score: exactAffineScore(p, mu, vars) }), /exactRecursion: argument 'score'/);
});

test("the recursion with a wrong affine score matches a particle simulation of Euler–Maruyama with that score", () => {
  // A score off by a known amount: alpha scaled by 0.8, beta shifted by 0.3 (d = 1, 4 coarse steps).
  const ex = exactAffineScore(p, [1], [0.5]);
  const wrong = (t: number) => { const e = ex(t); return { alpha: [0.8 * e.alpha[0]], beta: [e.beta[0] + 0.3] }; };
  const rec = exactRecursion(p, { mu: [1], lambda: [0.5], vectors: [[1]] }, { steps: 4, sampler: "euler", lastStepNoise: true, score: wrong });
  const rng = new Rng(4), n = 20000, h = 0.25;
  let s1 = 0, s2 = 0;
  for (let j = 0; j < n; j++) {
    let x = rng.nextNormal();
    for (let k = 0; k < 4; k++) {
      const t = 1 - k * h, b = linearSchedule().beta(t), { alpha, beta } = wrong(t);
      x = x + h * (b / 2 * x + b * (-alpha[0] * x + beta[0])) + Math.sqrt(b * h) * rng.nextNormal();
    }
    s1 += x; s2 += x * x;
  }
  const m = s1 / n, v = s2 / n - m * m;
  // Standard errors sqrt(v / n) for the mean and v sqrt(2 / n) for the variance; 5 of them: false alarm ~1e-6.
  assert.ok(Math.abs(m - rec.m[0]) < 5 * Math.sqrt(rec.c[0] / n), `mean ${m} vs ${rec.m[0]}`);
  assert.ok(Math.abs(v - rec.c[0]) < 5 * rec.c[0] * Math.sqrt(2 / n), `variance ${v} vs ${rec.c[0]}`);
  // And the wrong score visibly moves the law (so the comparison above could fail).
  const right = exactRecursion(p, { mu: [1], lambda: [0.5], vectors: [[1]] }, { steps: 4, sampler: "euler", lastStepNoise: true });
  assert.ok(Math.abs(right.m[0] - rec.m[0]) > 20 * Math.sqrt(rec.c[0] / n));
});

test("the closed-form score error: 0 for the exact score, d delta^2 for a shifted beta, delta^2 E[x^2] for a shifted alpha", () => {
  const ex = exactAffineScore(p, mu, vars);
  for (const t of [0.01, 0.3, 1]) {
    assert.ok(affineScoreErrorSq(ex, p, mu, vars, t) < 1e-20);
    const shiftB = (u: number) => { const e = ex(u); return { alpha: e.alpha, beta: e.beta.map((b) => b + 0.2) }; };
    assert.ok(Math.abs(affineScoreErrorSq(shiftB, p, mu, vars, t) - 2 * 0.04) < 1e-12);
    // With alpha off by delta the error is delta^2 x^2 per coordinate, E[x_i^2] = (a mu_i)^2 + a^2 var_i + v.
    const shiftA = (u: number) => { const e = ex(u); return { alpha: e.alpha.map((x) => x + 0.1), beta: e.beta }; };
    const a = p.a(t), v = p.v(t);
    const ex2 = mu.reduce((s, m, i) => s + (a * m) ** 2 + a * a * vars[i] + v, 0);
    assert.ok(Math.abs(affineScoreErrorSq(shiftA, p, mu, vars, t) - 0.01 * ex2) < 1e-12);
  }
});

test("DSM fitting recovers the exact score from a large sample, and its error grows as the sample shrinks", () => {
  const sched = exponentialSchedule({ a: 2 });
  const q = linearProcess({ schedule: sched }, "test");
  const draw = (n: number, seed: number) => { const r = new Rng(seed); return Array.from({ length: n }, () => mu.map((m, i) => m + Math.sqrt(vars[i]) * r.nextNormal())); };
  const err = (n: number) => {
    const model = fitAffineScore({ process: q, data: draw(n, 1), passes: 4, rng: new Rng(2) });
    // Error relative to the score's own size E|grad log p_t|^2 = sum_i 1 / Sigma_i, at three noise levels.
    return Math.max(...[0.05, 0.3, 0.8].map((t) => {
      const a = q.a(t), v = q.v(t);
      return affineScoreErrorSq(model.at, q, mu, vars, t) / vars.reduce((s, l) => s + 1 / (a * a * l + v), 0);
    }));
  };
  const big = err(20000), small = err(200);
  // 80,000 DSM pairs and 12 coefficients per coordinate: the coefficients' relative standard error is of order
  // sqrt(12 / 8e4) ~ 0.01 (squared ~1e-4, larger at small t where eps / s is noisiest); 1e-2 leaves a wide margin,
  // while an unfitted (zero) model has relative error 1.
  assert.ok(big < 1e-2, `relative error ${big} with n = 20000`);
  assert.ok(small > 5 * big, `error should grow with a smaller sample: ${small} (n = 200) vs ${big}`);
  // The same sample and DSM draws give the same model (the seed is the whole randomness).
  const m1 = fitAffineScore({ process: q, data: draw(50, 3), passes: 2, rng: new Rng(9) });
  const m2 = fitAffineScore({ process: q, data: draw(50, 3), passes: 2, rng: new Rng(9) });
  assert.deepEqual(m1.w, m2.w);
  // With a large sample, the sampler using the fitted score is close to the exact-score sampler's KL.
  const model = fitAffineScore({ process: q, data: draw(20000, 1), passes: 4, rng: new Rng(2) });
  const fitted = exactRecursion(q, tg, { steps: 100, sampler: "euler", lastStepNoise: true, score: model.at });
  const exact = exactGaussianKL({ schedule: sched, target: { mean: mu, cov: vars }, steps: 100, sampler: "euler", lastStepNoise: true });
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(fitted.m[i] - exact.mean[i]) < 0.05 && Math.abs(fitted.c[i] / exact.cov[i][i] - 1) < 0.1, `coordinate ${i}`);
});

test("bad input to fitAffineScore errors with the argument named", () => {
  const rng = new Rng(0);
  assert.throws(() => fitAffineScore({ process: p, data: [], rng }), /fitAffineScore: argument 'opts.data'/);
  assert.throws(() => fitAffineScore({ process: p, data: [[1, 2], [3]], rng }), /argument 'opts.data' must hold rows of 2/);
  assert.throws(() => fitAffineScore({ process: p, data: [[1]], degree: 1.5, rng }), /argument 'opts.degree'/);
  assert.throws(() => fitAffineScore({ process: {} as never, data: [[1]], rng }), /argument 'opts.process'/);
  assert.throws(() => fitAffineScore({ process: p, data: [[1]], rng: undefined as never }), /argument 'opts.rng'/);
});

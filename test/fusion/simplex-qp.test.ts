import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { simplexQp, projectToSimplex, quadraticValue } from "../../src/fusion/simplex-qp";

// The enumeration solves small linear systems in float64: answers agree with hand values to ~1e-12; 1e-9 leaves room.
const close = (a: number[], b: number[], tol = 1e-9) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${a} vs ${b}`));

test("interior optimum: min ||l - p||^2 with p inside the simplex is p", () => {
  const p = [0.2, 0.5, 0.3];
  const r = simplexQp([[1, 0, 0], [0, 1, 0], [0, 0, 1]], p.map((v) => -v), { c: p.reduce((a, v) => a + v * v, 0) });
  close(r.weights, p);
  assert.ok(Math.abs(r.value) < 1e-12);
  assert.equal(r.method, "enumerate");
});

test("interior optimum with unequal curvature: l1^2 + 2 l2^2 on the simplex is at (2/3, 1/3)", () => {
  const r = simplexQp([[1, 0], [0, 2]], [0, 0]);
  close(r.weights, [2 / 3, 1 / 3]);
  close([r.value], [2 / 3]);
});

test("boundary optimum: projection of (0.8, 0.5, -0.3) onto the simplex is (0.65, 0.35, 0)", () => {
  const p = [0.8, 0.5, -0.3];
  const r = simplexQp([[1, 0, 0], [0, 1, 0], [0, 0, 1]], p.map((v) => -v));
  close(r.weights, [0.65, 0.35, 0]);
  close(projectToSimplex(p), [0.65, 0.35, 0]);
  assert.ok(r.kktViolation < 1e-9);
});

test("vertex optimum: a strongly preferred model takes all the weight", () => {
  // f = l1^2 + l2^2 - 10 l1: on the edge l1 = 1 - l2, f'(l2) = 4 l2 - 2 + 10 > 0, so l2 = 0.
  const r = simplexQp([[1, 0], [0, 1]], [-5, 0]);
  close(r.weights, [1, 0]);
});

test("singular A (two identical models) still returns an optimal point", () => {
  const r = simplexQp([[1, 1], [1, 1]], [-0.5, -0.5]);
  // f = (l1 + l2)^2 - (l1 + l2) = 0 on the whole simplex.
  close([r.value], [0]);
  close([r.weights[0] + r.weights[1]], [1]);
});

test("projected-gradient fallback agrees with the enumeration", () => {
  const A = [[2, 0.5, 0.1], [0.5, 1, 0.2], [0.1, 0.2, 3]];
  const b = [-1, 0.3, -0.2];
  const e = simplexQp(A, b);
  const g = simplexQp(A, b, { maxEnumerate: 0 });
  assert.equal(g.method, "projected-gradient");
  // FISTA converges as O(1/k^2) in value; after 20,000 steps weights agree to well under 1e-6.
  close(g.weights, e.weights, 1e-6);
});

test("property: the solution is no worse than any simplex point (random PSD A = M M^T)", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
    fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    (m, b, q) => {
      const M = [m.slice(0, 3), m.slice(3, 6), m.slice(6, 9)];
      const A = M.map((r) => M.map((s) => r.reduce((a, v, i) => a + v * s[i], 0)));
      const r = simplexQp(A, b);
      const s = q.reduce((a, v) => a + v, 0) || 1;
      const point = s > 0 ? q.map((v) => v / s) : [1, 0, 0];
      const fp = quadraticValue(A, b, q.every((v) => v === 0) ? [1, 0, 0] : point);
      return r.value <= fp + 1e-9 * (1 + Math.abs(fp)) && Math.abs(r.weights.reduce((a, v) => a + v, 0) - 1) < 1e-9 && r.weights.every((v) => v >= 0);
    }), { numRuns: 200, seed: 7 });
});

test("bad input errors name the function and argument", () => {
  assert.throws(() => simplexQp([], []), /simplexQp: argument 'b'/);
  assert.throws(() => simplexQp([[1, 0]], [0, 0]), /simplexQp: argument 'A' must be a 2x2/);
  assert.throws(() => simplexQp([[1, 2], [0, 1]], [0, 0]), /must be symmetric/);
  assert.throws(() => simplexQp([[1, 0], [0, NaN]], [0, 0]), /A\[1\]\[1\]/);
  assert.throws(() => projectToSimplex([]), /projectToSimplex/);
});

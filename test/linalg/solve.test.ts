// Linear systems by Gauss–Jordan with partial pivoting (src/linalg/solve.ts): hand-solved systems (exact in float64
// up to rounding of entries ~1, so 1e-12), an indefinite KKT matrix, a zero leading pivot, and the singular case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { solveLinear } from "../../src/linalg/solve";
import { identity, matMul } from "../../src/linalg/matrix";

const near = (a: number[][], b: number[][]) => a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-12, `${i},${j}: ${v} vs ${b[i][j]}`)));

test("solveLinear solves A X = B column by column and leaves A and B as they were", () => {
  const A = [[4, 2], [2, 3]], B = [[2], [1]];
  // det 8: x = [[3, -2], [-2, 4]] / 8 (2, 1) = (0.5, 0).
  near(solveLinear(A, B)!, [[0.5], [0]]);
  near(solveLinear(A, identity(2))!, [[3 / 8, -2 / 8], [-2 / 8, 4 / 8]]);
  assert.deepEqual([A, B], [[[4, 2], [2, 3]], [[2], [1]]]);
  // A zero leading pivot needs the row swap; the KKT matrix [2 I 1; 1^T 0] is indefinite.
  near(solveLinear([[0, 1], [1, 0]], [[3], [5]])!, [[5], [3]]);
  const K = [[2, 0, -1], [0, 2, -1], [1, 1, 0]];
  const x = solveLinear(K, [[0], [-2], [1]])!;
  near(matMul(K, x), [[0], [-2], [1]]);
  // 2 l1 - mu = 0, 2 l2 - mu = -2, l1 + l2 = 1: mu = 2, l = (1, 0).
  near(x, [[1], [0], [2]]);
});

test("a numerically singular A gives null, unless the pivot tolerance is 0", () => {
  assert.equal(solveLinear([[1, 2], [2, 4]], [[1], [2]]), null);
  assert.equal(solveLinear([[1, 0], [0, 1e-14]], [[1], [1]]), null, "a pivot below 1e-12 of the largest entry");
  const tiny = solveLinear([[1, 0], [0, 1e-14]], [[1], [1]], 0)!;
  assert.equal(tiny[0][0], 1);
  assert.ok(Math.abs(tiny[1][0] * 1e-14 - 1) < 1e-12, String(tiny[1][0]));
  const zero = solveLinear([[1, 2], [2, 4]], [[1], [3]], 0)!;
  assert.ok(zero.some((r) => !Number.isFinite(r[0])), "tolerance 0 lets the zero pivot through as non-finite entries");
});

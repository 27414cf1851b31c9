// Cholesky and what it gives (src/linalg/cholesky.ts) on [[4, 2], [2, 3]], whose factor, determinant (8) and inverse
// ([[3, -2], [-2, 4]] / 8) are known by hand; float64 rounding on entries of size ~1 stays far below 1e-12.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cholesky, inverseSPD, logdetSPD } from "../../src/linalg/cholesky";
import { identity, matMul, matVec, trace, transpose } from "../../src/linalg/matrix";
import { sqrtSym } from "../../src/linalg/eigen";

const A = [[4, 2], [2, 3]];
const near = (a: number[][], b: number[][]) => a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-12, `${i},${j}: ${v} vs ${b[i][j]}`)));

test("cholesky: the lower factor L with L L^T = A", () => {
  near(cholesky(A), [[2, 0], [1, Math.SQRT2]]);
  const S3 = [[2, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 0.5]];
  const L = cholesky(S3);
  near(matMul(L, transpose(L)), S3);
  L.forEach((row, i) => row.forEach((v, j) => { if (j > i) assert.equal(v, 0); }));
});

test("logdetSPD and inverseSPD through the factor", () => {
  assert.ok(Math.abs(logdetSPD(A) - Math.log(8)) < 1e-12);
  assert.ok(Math.abs(logdetSPD([[2, 0], [0, 3]]) - Math.log(6)) < 1e-12);
  near(inverseSPD(A), [[3 / 8, -2 / 8], [-2 / 8, 4 / 8]]);
  near(inverseSPD([[2]]), [[0.5]]);
});

test("a matrix that is not positive definite is one Error naming the function, the argument and the pivot", () => {
  assert.throws(() => cholesky([[1, 2], [2, 1]]), { message: "cholesky: argument 'a' must be symmetric positive definite (pivot 1 is -3)" });
  assert.throws(() => cholesky([[1, 2], [2, 1]], "exactGaussianKL", "target.cov"), /^Error: exactGaussianKL: argument 'target.cov' must be symmetric/);
  assert.throws(() => logdetSPD([[0]]), { message: "logdetSPD: argument 'a' must be symmetric positive definite (pivot 0 is 0)" });
  assert.throws(() => inverseSPD([[-1]]), /^Error: inverseSPD: argument 'a' must be symmetric positive definite/);
});

// Moved from test/bounds/linalg.test.ts when the module moved to src/linalg/.
/** Largest entrywise difference of two matrices. */
const offBy = (a: number[][], b: number[][]) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i][j]))));
const A3 = [[4, 2, 0.4], [2, 3, -0.5], [0.4, -0.5, 2]];

test("(from the bounds) the small products give their documented values", () => {
  assert.deepEqual(identity(2, 3), [[3, 0], [0, 3]]);
  assert.deepEqual(matMul([[1, 2]], [[3], [4]]), [[11]]);
  assert.deepEqual(matVec([[1, 2], [3, 4]], [1, 1]), [3, 7]);
  assert.deepEqual(transpose([[1, 2]]), [[1], [2]]);
  assert.equal(trace([[1, 2], [3, 4]]), 5);
  assert.throws(() => matMul([[1, 2]], [[1, 2]]), /matMul: argument 'b' must have 2 rows, got 1/);
});

test("Cholesky, inverse, log-determinant and square root of an SPD matrix agree with their definitions", () => {
  const L = cholesky([[4, 2], [2, 3]]);
  // The documented example: [[2, 0], [1, sqrt 2]], exact in float64 but for the square root.
  assert.deepEqual(L, [[2, 0], [1, Math.SQRT2]]);
  // float64 on a well-conditioned 3 x 3 (condition ~5): 1e-12.
  const L3 = cholesky(A3);
  assert.ok(offBy(matMul(L3, transpose(L3)), A3) < 1e-12);
  assert.ok(L3.every((r, i) => r.every((v, j) => j <= i || v === 0)), "lower triangular");
  assert.ok(offBy(matMul(A3, inverseSPD(A3)), identity(3)) < 1e-12);
  assert.ok(Math.abs(logdetSPD([[2, 0], [0, 3]]) - Math.log(6)) < 1e-15);
  // det A by cofactors: 4 (6 - 0.25) - 2 (4 + 0.2) + 0.4 (-1 - 1.2) = 23 - 8.4 - 0.88 = 13.72.
  assert.ok(Math.abs(logdetSPD(A3) - Math.log(13.72)) < 1e-12);
  const R = sqrtSym(A3);
  assert.ok(offBy(matMul(R, R), A3) < 1e-10 && offBy(R, transpose(R)) < 1e-12);
  // A PSD matrix with a zero eigenvalue: its root exists (rounding noise below zero is clipped).
  assert.ok(offBy(sqrtSym([[1, 1], [1, 1]]), [[Math.SQRT1_2, Math.SQRT1_2], [Math.SQRT1_2, Math.SQRT1_2]]) < 1e-12);
});

test("a matrix that is not positive definite is refused with the caller's function and argument names", () => {
  assert.throws(() => cholesky([[1, 2], [2, 1]]), /cholesky: argument 'a' must be symmetric positive definite \(pivot 1 is -3\)/);
  assert.throws(() => cholesky([[0]], "klBound", "target.cov"), /klBound: argument 'target\.cov' must be symmetric positive definite/);
  assert.throws(() => inverseSPD([[-1]]), /inverseSPD: argument 'a'/);
  assert.throws(() => logdetSPD([[0, 0], [0, 1]]), /logdetSPD: argument 'a'/);
});

// Cholesky and what it gives (src/linalg/cholesky.ts) on [[4, 2], [2, 3]], whose factor, determinant (8) and inverse
// ([[3, -2], [-2, 4]] / 8) are known by hand; float64 rounding on entries of size ~1 stays far below 1e-12.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cholesky, inverseSPD, logdetSPD } from "../../src/linalg/cholesky";
import { matMul, transpose } from "../../src/linalg/matrix";

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

// The symmetric eigendecomposition (cyclic Jacobi) and the square root built on it (src/linalg/eigen.ts), against
// closed forms: float64 Jacobi converges to rounding level, so 1e-12 on entries of size ~1 is a wide margin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, initBackend } from "../../src/tensor";
import { sqrtSym, symmetricEigen } from "../../src/linalg/eigen";

const near = (a: number[][], b: number[][], tol: number) => a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < tol, `${i},${j}: ${v} vs ${b[i][j]}`)));

test("symmetricEigen reconstructs a symmetric matrix with orthonormal eigenvectors", async () => {
  await initBackend();
  const rng = new Rng(3);
  const n = 6;
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.nextNormal()));
  const A = B.map((_, i) => B.map((__, j) => B[i][j] + B[j][i]));
  const { values, vectors } = symmetricEigen(A);
  for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1], "ascending");
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let rec = 0, orth = 0;
    for (let k = 0; k < n; k++) { rec += vectors[i][k] * values[k] * vectors[j][k]; orth += vectors[k][i] * vectors[k][j]; }
    // float64 Jacobi converges to rounding level; 1e-10 leaves a wide margin.
    assert.ok(Math.abs(rec - A[i][j]) < 1e-10, `reconstruction ${i},${j}`);
    assert.ok(Math.abs(orth - (i === j ? 1 : 0)) < 1e-10, `orthonormality ${i},${j}`);
  }
});

test("[[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1) and (1, 1) over sqrt 2", () => {
  const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
  assert.ok(Math.abs(values[0] - 1) < 1e-12 && Math.abs(values[1] - 3) < 1e-12, String(values));
  const r = Math.SQRT1_2;
  // Eigenvectors are defined up to sign: compare |v|, then the sign pattern within each column.
  near(vectors.map((row) => row.map(Math.abs)), [[r, r], [r, r]], 1e-12);
  assert.ok(vectors[0][0] * vectors[1][0] < 0, "the eigenvalue-1 vector is (1, -1)");
  assert.ok(vectors[0][1] * vectors[1][1] > 0, "the eigenvalue-3 vector is (1, 1)");
  assert.deepEqual(symmetricEigen([[5]]), { values: [5], vectors: [[1]] });
});

test("sqrtSym: the symmetric square root squares back, and clips a rank-deficient matrix's rounding noise", () => {
  // [[2, 1], [1, 2]]^2 = [[5, 4], [4, 5]], and the root with positive eigenvalues is unique.
  near(sqrtSym([[5, 4], [4, 5]]), [[2, 1], [1, 2]], 1e-12);
  // [[1, 1], [1, 1]] = 2 u u^T with u = (1, 1)/sqrt 2, so its root is sqrt 2 u u^T = [[1, 1], [1, 1]] / sqrt 2.
  near(sqrtSym([[1, 1], [1, 1]]), [[Math.SQRT1_2, Math.SQRT1_2], [Math.SQRT1_2, Math.SQRT1_2]], 1e-12);
  near(sqrtSym([[4, 0], [0, 9]]), [[2, 0], [0, 3]], 1e-12);
});

test("symmetricEigen names the argument for an empty, ragged or non-finite matrix", () => {
  assert.throws(() => symmetricEigen([]), { message: "symmetricEigen: argument 'matrix' must be a non-empty square array of arrays" });
  assert.throws(() => symmetricEigen([[1, 2], [3]]), { message: "symmetricEigen: argument 'matrix' must be square 2x2" });
  assert.throws(() => symmetricEigen([[1, NaN], [NaN, 1]]), { message: "symmetricEigen: argument 'matrix' must hold finite numbers" });
});

// Dense matrices as arrays of rows (src/linalg/matrix.ts): small products with hand-computed answers, exact in
// float64 because every entry is a small integer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { identity, matMul, matVec, trace, transpose } from "../../src/linalg/matrix";

test("identity, transpose and trace", () => {
  assert.deepEqual(identity(2, 3), [[3, 0], [0, 3]]);
  assert.deepEqual(identity(3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]]);
  assert.equal(trace([[1, 2], [3, 4]]), 5);
});

test("matMul and matVec: rows times columns, a zero entry skipped without changing the answer", () => {
  const A = [[1, 2], [0, 3], [4, 0]];
  const B = [[5, 6, 7], [8, 9, 10]];
  assert.deepEqual(matMul(A, B), [[21, 24, 27], [24, 27, 30], [20, 24, 28]]);
  assert.deepEqual(matMul([[1, 2]], [[3], [4]]), [[11]]);
  assert.deepEqual(matMul(identity(3), A), A);
  assert.deepEqual(matVec([[1, 2], [3, 4]], [1, 1]), [3, 7]);
  assert.deepEqual(matVec(A, [2, -1]), [0, -3, 8]);
  // (A B)^T = B^T A^T.
  assert.deepEqual(transpose(matMul(A, B)), matMul(transpose(B), transpose(A)));
  assert.deepEqual(A, [[1, 2], [0, 3], [4, 0]], "inputs are left as they were");
});

test("matMul names the argument whose rows do not match", () => {
  assert.throws(() => matMul([[1, 2]], [[1, 2]]), { message: "matMul: argument 'b' must have 2 rows, got 1" });
});

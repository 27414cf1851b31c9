/**
 * Small dense matrices in plain float64 JavaScript, as arrays of rows: the building blocks of the Gaussian
 * recursions, bounds and covariance work (d <= ~50), where exactness matters more than speed.
 */
import { fail } from "../tensor";

export type Mat = number[][];

/** n x n identity times `s`. @example identity(2, 3) // [[3, 0], [0, 3]] */
export function identity(n: number, s = 1): Mat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? s : 0)));
}

/** Matrix product A B. @example matMul([[1, 2]], [[3], [4]]) // [[11]] */
export function matMul(a: Mat, b: Mat): Mat {
  const n = a.length, k = b.length, m = b[0].length;
  if (a[0].length !== k) fail("matMul", "b", `must have ${a[0].length} rows, got ${k}`);
  const out: Mat = Array.from({ length: n }, () => new Array(m).fill(0));
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const aip = a[i][p];
    if (aip === 0) continue;
    for (let j = 0; j < m; j++) out[i][j] += aip * b[p][j];
  }
  return out;
}

/** Matrix-vector product A v. @example matVec([[1, 2], [3, 4]], [1, 1]) // [3, 7] */
export function matVec(a: Mat, v: number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
}

/** Transpose. @example transpose([[1, 2]]) // [[1], [2]] */
export function transpose(a: Mat): Mat {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/** Trace. @example trace([[1, 2], [3, 4]]) // 5 */
export function trace(a: Mat): number {
  return a.reduce((s, row, i) => s + row[i], 0);
}

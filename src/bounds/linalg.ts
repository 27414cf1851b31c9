/**
 * Small dense linear algebra in plain float64 JavaScript for the Gaussian recursions and bounds (d <= ~50):
 * Cholesky, log-determinant, SPD inverse, symmetric square root. Matrices are arrays of rows.
 * The symmetric eigendecomposition is the one in src/data/eigen.ts (cyclic Jacobi), not a second copy.
 */
import { fail } from "../tensor";
import { symmetricEigen } from "../data/eigen";

export type Mat = number[][];

export { symmetricEigen };

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

/**
 * Lower-triangular L with A = L L^T (Cholesky–Banachiewicz); throws if A is not positive definite.
 * @example cholesky([[4, 2], [2, 3]]) // [[2, 0], [1, sqrt(2)]]
 */
export function cholesky(a: Mat, fn = "cholesky", arg = "a"): Mat {
  const n = a.length;
  const l: Mat = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0.5 * (a[i][j] + a[j][i]);
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) fail(fn, arg, `must be symmetric positive definite (pivot ${i} is ${s})`);
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** log det A for symmetric positive definite A. @example logdetSPD([[2, 0], [0, 3]]) // log 6 */
export function logdetSPD(a: Mat): number {
  const l = cholesky(a, "logdetSPD");
  return 2 * l.reduce((s, row, i) => s + Math.log(row[i]), 0);
}

/** Inverse of a symmetric positive definite matrix through its Cholesky factor. @example inverseSPD([[2]]) // [[0.5]] */
export function inverseSPD(a: Mat): Mat {
  const n = a.length;
  const l = cholesky(a, "inverseSPD");
  // Solve L Y = I column by column, then A^-1 = Y^T Y.
  const y: Mat = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k][c];
      y[i][c] = s / l[i][i];
    }
  }
  const out: Mat = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += y[k][i] * y[k][j];
    out[i][j] = s;
    out[j][i] = s;
  }
  return out;
}

/** Symmetric square root of a symmetric positive semi-definite matrix (negative rounding noise clipped to 0). */
export function sqrtSym(a: Mat): Mat {
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  const r = values.map((v) => Math.sqrt(Math.max(v, 0)));
  const out: Mat = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += vectors[i][k] * r[k] * vectors[j][k];
    out[i][j] = s;
  }
  return out;
}

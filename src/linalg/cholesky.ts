/**
 * Cholesky factorisation of a symmetric positive definite matrix and what it gives cheaply: log-determinant and
 * inverse (Golub & Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.1).
 */
import { fail } from "../tensor";
import type { Mat } from "./matrix";

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

/**
 * Eigendecomposition of a small symmetric matrix in plain JavaScript (float64), by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, 4th ed., Algorithm 8.5.3). Used once per covariance, so exactness
 * matters more than speed; fine up to d of about 100. Also the symmetric square root built on it.
 */
import { fail } from "../tensor";
import type { Mat } from "./matrix";

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: number[];
  /** Eigenvectors as columns: `vectors[i][j]` is entry i of eigenvector j. A = V diag(values) V^T. */
  vectors: number[][];
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric matrix (only its upper triangle is trusted: the
 * matrix is symmetrised first).
 * @example const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]); // values [1, 3]
 */
export function symmetricEigen(matrix: number[][]): SymmetricEigen {
  const fn = "symmetricEigen";
  if (!Array.isArray(matrix) || matrix.length === 0) fail(fn, "matrix", "must be a non-empty square array of arrays");
  const n = matrix.length;
  for (const row of matrix) {
    if (!Array.isArray(row) || row.length !== n) fail(fn, "matrix", `must be square ${n}x${n}`);
    if (row.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail(fn, "matrix", "must hold finite numbers");
  }
  const a = matrix.map((row, i) => row.map((_, j) => 0.5 * (matrix[i][j] + matrix[j][i])));
  const v: number[][] = a.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  let scale = 0;
  for (const row of a) for (const x of row) scale += x * x;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    // Quadratic convergence: once the off-diagonal mass is at rounding level of the whole matrix, stop.
    if (off <= 1e-32 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i][i] - a[j][j]);
  return {
    values: order.map((i) => a[i][i]),
    vectors: v.map((row) => order.map((j) => row[j])),
  };
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

/**
 * Linear systems A X = B by Gauss–Jordan elimination with partial pivoting (Golub & Van Loan, Matrix Computations,
 * 4th ed., Section 3.4), in float64 on arrays of rows: the KKT systems of the simplex QP, Newton steps of the
 * quadratic logistic fit and the inverses of the Gaussian barycenter. For symmetric positive definite A the
 * Cholesky route in cholesky.ts is the better one; this one also takes the indefinite KKT matrices.
 */
import type { Mat } from "./matrix";

/**
 * X with A X = B (A n x n, B n x m; neither is changed), or null when a pivot falls below `pivotTol` times the
 * largest |A_ij| (numerically singular). `pivotTol` 0 never gives null: a zero pivot then gives non-finite entries.
 * @example solveLinear([[2, 0], [0, 4]], [[2], [2]]) // [[1], [0.5]]
 */
export function solveLinear(a: Mat, b: Mat, pivotTol = 1e-12): Mat | null {
  const n = a.length, m = b[0]?.length ?? 0;
  const M = a.map((row, i) => [...row, ...b[i]]);
  const scale = Math.max(1e-300, ...a.map((r) => Math.max(...r.map(Math.abs))));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
    if (Math.abs(M[piv][col]) < pivotTol * scale) return null;
    [M[col], M[piv]] = [M[piv], M[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r][col] / M[col][col];
      if (f !== 0) for (let j = col; j < n + m; j++) M[r][j] -= f * M[col][j];
    }
  }
  return M.map((row, i) => row.slice(n).map((v) => v / row[i]));
}

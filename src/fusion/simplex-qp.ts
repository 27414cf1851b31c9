/**
 * Exact minimisation of a convex quadratic over the probability simplex:
 *   minimise f(l) = l^T A l + 2 b^T l + c   subject to  l_k >= 0,  sum_k l_k = 1.
 *
 * This is the problem that fusion weights solve when the barycenter weights are constant in t (ScoreFusion,
 * Liu et al. 2025, the DSM loss of sum_k l_k s_k is a quadratic form in l). K is small (a handful of auxiliary
 * models), so the exact method enumerates supports: for each non-empty subset S it solves the equality-constrained
 * KKT system [2 A_SS 1; 1^T 0] [l_S; -mu] = [-2 b_S; 1] and keeps the solutions that satisfy every KKT condition
 * (l_S >= 0; gradient g_i = 2 (A l + b)_i equal to mu on S and >= mu off S). For convex f any KKT point is a global
 * minimum. For large K (or when no subset passes, e.g. with a badly conditioned A) it falls back to accelerated
 * projected gradient with the exact Euclidean projection onto the simplex (Held, Wolfe & Crowder 1974).
 */
import { fail } from "../tensor";
import { solveLinear } from "../linalg";

export interface SimplexQpResult {
  /** The minimiser on the simplex. */
  weights: number[];
  /** f at the minimiser (including c). */
  value: number;
  /** "enumerate" (exact KKT over supports) or "projected-gradient". */
  method: "enumerate" | "projected-gradient";
  /** Largest KKT violation at the returned point (0 up to rounding at an exact optimum). */
  kktViolation: number;
}

export interface SimplexQpOptions {
  /** Constant term c (default 0). */
  c?: number;
  /** Largest K for which supports are enumerated (default 12, i.e. 4,095 subsets). */
  maxEnumerate?: number;
  /** Iterations of the projected-gradient fallback (default 20,000). */
  iterations?: number;
}

const FN = "simplexQp";

/** f(l) = l^T A l + 2 b^T l + c. */
export function quadraticValue(A: number[][], b: number[], l: number[], c = 0): number {
  let v = c;
  for (let i = 0; i < l.length; i++) {
    v += 2 * b[i] * l[i];
    for (let j = 0; j < l.length; j++) v += l[i] * A[i][j] * l[j];
  }
  return v;
}

/**
 * Minimise l^T A l + 2 b^T l + c over the probability simplex (A symmetric positive semi-definite).
 * @example
 * simplexQp([[1, 0], [0, 2]], [0, 0]).weights;   // [2/3, 1/3]
 */
export function simplexQp(A: number[][], b: number[], opts: SimplexQpOptions = {}): SimplexQpResult {
  const k = validate(A, b);
  const c = opts.c ?? 0;
  if (typeof c !== "number" || !Number.isFinite(c)) fail(FN, "opts.c", `must be a finite number, got ${String(c)}`);
  const maxEnum = opts.maxEnumerate ?? 12;
  const scale = Math.max(1e-300, ...A.map((r) => Math.max(...r.map(Math.abs))), ...b.map(Math.abs));
  if (k <= maxEnum) {
    let best: { l: number[]; v: number; viol: number } | null = null;
    for (let mask = 1; mask < 1 << k; mask++) {
      const support: number[] = [];
      for (let i = 0; i < k; i++) if (mask & (1 << i)) support.push(i);
      const l = solveOnSupport(A, b, support, k);
      if (!l) continue;
      const viol = kktViolation(A, b, l);
      if (viol > 1e-9 * scale + 1e-12) continue;
      const v = quadraticValue(A, b, l, c);
      if (!best || v < best.v) best = { l, v, viol };
    }
    if (best) return { weights: best.l, value: best.v, method: "enumerate", kktViolation: best.viol };
  }
  const l = projectedGradient(A, b, opts.iterations ?? 20000);
  return { weights: l, value: quadraticValue(A, b, l, c), method: "projected-gradient", kktViolation: kktViolation(A, b, l) };
}

function validate(A: number[][], b: number[]): number {
  if (!Array.isArray(b) || b.length === 0) fail(FN, "b", "must be a non-empty array of numbers");
  const k = b.length;
  b.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(FN, `b[${i}]`, `must be a finite number, got ${String(v)}`);
  });
  if (!Array.isArray(A) || A.length !== k) fail(FN, "A", `must be a ${k}x${k} matrix (b has length ${k})`);
  A.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== k) fail(FN, `A[${i}]`, `must be a row of ${k} numbers`);
    r.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) fail(FN, `A[${i}][${j}]`, `must be a finite number, got ${String(v)}`);
    });
  });
  const big = Math.max(1e-300, ...A.map((r) => Math.max(...r.map(Math.abs))));
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
    if (Math.abs(A[i][j] - A[j][i]) > 1e-9 * big) fail(FN, "A", `must be symmetric: A[${i}][${j}] = ${A[i][j]} but A[${j}][${i}] = ${A[j][i]}`);
  }
  return k;
}

/** Solves the KKT system restricted to `support`; null when it is singular or gives a negative weight. */
function solveOnSupport(A: number[][], b: number[], support: number[], k: number): number[] | null {
  const m = support.length;
  // Unknowns: l_S (m) and mu; rows: 2 A_SS l_S - mu 1 = -2 b_S, 1^T l_S = 1.
  const M: number[][] = [], rhs: number[][] = [];
  for (let r = 0; r < m; r++) {
    M.push([...support.map((j) => 2 * A[support[r]][j]), -1]);
    rhs.push([-2 * b[support[r]]]);
  }
  M.push([...new Array(m).fill(1), 0]);
  rhs.push([1]);
  const sol = solveLinear(M, rhs);
  if (!sol) return null;
  const x = sol.map((row) => row[0]);
  const l = new Array(k).fill(0);
  for (let r = 0; r < m; r++) {
    if (x[r] < -1e-12) return null;
    l[support[r]] = Math.max(0, x[r]);
  }
  const s = l.reduce((a, v) => a + v, 0);
  return l.map((v) => v / s);
}

/**
 * Largest violation of the KKT conditions at a simplex point l: with g = 2 (A l + b) and mu = min over the support
 * of g, it is max(max over the support |g_i - mu|, max over all i of (mu - g_i)^+), plus any negativity or
 * departure of sum l from 1.
 */
export function kktViolation(A: number[][], b: number[], l: number[]): number {
  const k = l.length;
  const g = l.map((_, i) => 2 * (b[i] + A[i].reduce((a, v, j) => a + v * l[j], 0)));
  const tol = 1e-10;
  const supp = l.map((v, i) => (v > tol ? i : -1)).filter((i) => i >= 0);
  const mu = Math.min(...supp.map((i) => g[i]));
  let viol = Math.abs(l.reduce((a, v) => a + v, 0) - 1);
  for (let i = 0; i < k; i++) {
    viol = Math.max(viol, -l[i]);
    if (l[i] > tol) viol = Math.max(viol, Math.abs(g[i] - mu));
    viol = Math.max(viol, mu - g[i]);
  }
  return viol;
}

/** Euclidean projection onto the probability simplex (sort-based, exact). */
export function projectToSimplex(v: number[]): number[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    fail("projectToSimplex", "v", "must be a non-empty array of finite numbers");
  }
  const u = [...v].sort((a, b) => b - a);
  let cum = 0;
  let theta = 0;
  for (let i = 0; i < u.length; i++) {
    cum += u[i];
    const th = (cum - 1) / (i + 1);
    if (u[i] - th > 0) theta = th;
  }
  return v.map((x) => Math.max(0, x - theta));
}

/** FISTA with step 1/L, L = 2 * (largest absolute row sum of A), an upper bound on the gradient's Lipschitz constant. */
function projectedGradient(A: number[][], b: number[], iterations: number): number[] {
  const k = b.length;
  const L = Math.max(1e-300, 2 * Math.max(...A.map((r) => r.reduce((a, v) => a + Math.abs(v), 0))));
  let x = new Array(k).fill(1 / k);
  let y = [...x];
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    const g = y.map((_, i) => 2 * (b[i] + A[i].reduce((a, v, j) => a + v * y[j], 0)));
    const xNew = projectToSimplex(y.map((v, i) => v - g[i] / L));
    const tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    y = xNew.map((v, i) => v + ((t - 1) / tNew) * (v - x[i]));
    x = xNew;
    t = tNew;
  }
  return x;
}

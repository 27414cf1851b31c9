/** Rank agreement between two orderings of the same items (Spearman 1904), for comparing a bound with the truth. */
import { fail } from "../tensor";

/** Ranks 1..n, ties sharing their average rank. @example ranks([3, 1, 3]) // [2.5, 1, 2.5] */
export function ranks(v: number[]): number[] {
  const idx = v.map((_, i) => i).sort((i, j) => v[i] - v[j]);
  const r = new Array<number>(v.length);
  for (let s = 0; s < idx.length;) {
    let e = s;
    while (e + 1 < idx.length && v[idx[e + 1]] === v[idx[s]]) e++;
    for (let k = s; k <= e; k++) r[idx[k]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}

/**
 * Spearman's rank correlation: the Pearson correlation of the ranks (ties averaged); 1 when both order the items
 * alike, -1 when reversed. NaN when either side is constant (no ordering to agree with).
 * @example spearman([1, 2, 3], [10, 30, 20]) // 0.5
 */
export function spearman(x: number[], y: number[]): number {
  const fn = "spearman";
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.length < 2) fail(fn, "y", `must be an array as long as x (>= 2 values), got lengths ${x?.length} and ${y?.length}`);
  if ([...x, ...y].some((v) => typeof v !== "number" || !Number.isFinite(v))) fail(fn, "x", "and y must hold finite numbers");
  const rx = ranks(x), ry = ranks(y);
  const n = x.length, m = (n + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const a = rx[i] - m, b = ry[i] - m; sxy += a * b; sxx += a * a; syy += b * b; }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

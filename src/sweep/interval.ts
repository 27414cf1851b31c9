/**
 * Mean and Student-t confidence interval of a handful of seeds: with 5 seeds the normal 1.96 would understate the
 * interval by 30%, so the half-width is t_{(1+level)/2, n-1} s / sqrt(n) (Student 1908).
 */
import { fail } from "../tensor";

/**
 * P(|T| < t) for Student's t with integer ν degrees of freedom, by the finite series of Abramowitz & Stegun 26.7.3
 * (odd ν) and 26.7.4 (even ν) in θ = atan(t / sqrt(ν)): exact up to rounding, no special functions needed.
 */
export function studentTCentral(t: number, nu: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(nu));
  const s = Math.sin(theta), c = Math.cos(theta), c2 = c * c;
  if (nu % 2 === 1) {
    if (nu === 1) return (2 / Math.PI) * theta;
    let term = c, sum = c;
    for (let k = 3; k <= nu - 2; k += 2) { term *= ((k - 1) / k) * c2; sum += term; }
    return (2 / Math.PI) * (theta + s * sum);
  }
  let term = 1, sum = 1;
  for (let k = 2; k <= nu - 2; k += 2) { term *= ((k - 1) / k) * c2; sum += term; }
  return s * sum;
}

/**
 * The quantile t_{p, ν} of Student's t (p in (0.5, 1), integer ν >= 1), by bisection on studentTCentral.
 * @example studentTQuantile(0.975, 4) // 2.7764...
 */
export function studentTQuantile(p: number, nu: number): number {
  const fn = "studentTQuantile";
  if (typeof p !== "number" || !(p > 0.5 && p < 1)) fail(fn, "p", `must be in (0.5, 1), got ${String(p)}`);
  if (!Number.isInteger(nu) || nu < 1) fail(fn, "nu", `must be a positive integer (degrees of freedom), got ${String(nu)}`);
  const target = 2 * p - 1;
  let lo = 0, hi = 1;
  while (studentTCentral(hi, nu) < target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCentral(mid, nu) < target) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean, sample std, count and the half-width of the `level` interval (0 for one value: no spread is known). */
export interface MeanCI { mean: number; std: number; n: number; halfWidth: number; lo: number; hi: number }

/**
 * @example meanCI([1, 2, 3, 4, 5]) // { mean: 3, halfWidth: 2.776 * 1.581 / sqrt(5) = 1.963, ... }
 */
export function meanCI(values: number[], level = 0.95): MeanCI {
  const fn = "meanCI";
  if (!Array.isArray(values) || values.length === 0) fail(fn, "values", "must be a non-empty array of numbers");
  if (!(level > 0 && level < 1)) fail(fn, "level", `must be in (0, 1), got ${String(level)}`);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const halfWidth = n > 1 ? studentTQuantile((1 + level) / 2, n - 1) * std / Math.sqrt(n) : 0;
  return { mean, std, n, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth };
}

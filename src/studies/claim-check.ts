/**
 * One claim of a paper checked against a reference computed in the same run (a null level, a floor, a baseline),
 * over seeds, with a confidence interval. The rule every paper notebook follows: the claim holds ("passed") only when
 * the interval of (measured - reference) clears the claim's margin on the claimed side. One value per seed; one seed
 * gives no interval and never passes.
 */
import { fail } from "../tensor";
import { meanCI, studentTQuantile, type MeanCI } from "../sweep/interval";

/** The reference a claim is measured against: a fixed level (log2 17 bits/dim) or one value per seed (a null run). */
export type ClaimReference =
  | { name: string; value: number }
  | { name: string; values: number[]; /** values[i] and the measured values[i] share seed i (default false) */ paired?: boolean };

export interface ClaimCheckSpec {
  /** What is measured, in words: "held-out bits/dim of the fused model at n = 25". */
  quantity: string;
  /** One value per seed. */
  values: number[];
  reference: ClaimReference;
  /** The claim: the quantity lies below (or above) the reference. */
  direction: "below" | "above";
  /** How far past the reference the interval must lie (default 0): the claim's one threshold, printed with it. */
  margin?: number;
  /** Interval level (default 0.95). */
  level?: number;
}

export interface ClaimCheckData {
  quantity: string;
  direction: "below" | "above";
  margin: number;
  level: number;
  measured: MeanCI;
  referenceName: string;
  reference: MeanCI;
  /** measured - reference, with its interval (paired, Welch, or against a fixed level). */
  difference: MeanCI;
  passed: boolean;
  /** One line: the quantity, its interval, the reference's, the difference's and the outcome. */
  text: string;
}

const finiteList = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number" && Number.isFinite(x));

/** Welch's interval for mean(a) - mean(b); the Welch-Satterthwaite degrees of freedom are floored (conservative). */
function welch(a: MeanCI, b: MeanCI, level: number): MeanCI {
  const va = a.n > 1 ? a.std ** 2 / a.n : 0;
  const vb = b.n > 1 ? b.std ** 2 / b.n : 0;
  const se = Math.sqrt(va + vb);
  const mean = a.mean - b.mean;
  if (a.n < 2 || se === 0) return { mean, std: 0, n: Math.min(a.n, b.n), halfWidth: 0, lo: mean, hi: mean };
  const df = (va + vb) ** 2 / ((a.n > 1 ? va ** 2 / (a.n - 1) : 0) + (b.n > 1 ? vb ** 2 / (b.n - 1) : 0));
  const hw = studentTQuantile((1 + level) / 2, Math.max(1, Math.floor(df))) * se;
  return { mean, std: se, n: Math.min(a.n, b.n), halfWidth: hw, lo: mean - hw, hi: mean + hw };
}

const fmt = (x: number) => (x === 0 ? "0" : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(4).replace(/\.?0+$/, ""));
const ci = (m: MeanCI) => (m.n > 1 ? `${fmt(m.mean)} [${fmt(m.lo)}, ${fmt(m.hi)}]` : fmt(m.mean));

/**
 * Checks one claim against its reference over seeds.
 * @example
 * checkClaim({ quantity: "bits/dim, fused", values: [3.3, 3.4, 3.2], reference: { name: "uniform", value: Math.log2(17) }, direction: "below" }).passed // true
 */
export function checkClaim(spec: ClaimCheckSpec): ClaimCheckData {
  const fn = "checkClaim";
  if (!spec || typeof spec !== "object") fail(fn, "spec", "must be { quantity, values, reference, direction }");
  if (typeof spec.quantity !== "string" || !spec.quantity.trim()) fail(fn, "spec.quantity", "must say what is measured");
  if (!finiteList(spec.values)) fail(fn, "spec.values", "must be a non-empty array of finite numbers, one per seed");
  if (spec.direction !== "below" && spec.direction !== "above") fail(fn, "spec.direction", `must be "below" or "above", got ${JSON.stringify(spec.direction)}`);
  const margin = spec.margin ?? 0;
  if (!(Number.isFinite(margin) && margin >= 0)) fail(fn, "spec.margin", `must be a finite number >= 0, got ${String(spec.margin)}`);
  const level = spec.level ?? 0.95;
  if (!(level > 0 && level < 1)) fail(fn, "spec.level", `must be in (0, 1), got ${String(spec.level)}`);
  const ref = spec.reference as { name?: unknown; value?: unknown; values?: unknown; paired?: unknown };
  if (!ref || typeof ref !== "object" || typeof ref.name !== "string" || !ref.name.trim()) fail(fn, "spec.reference", "must be { name, value } or { name, values }");

  const measured = meanCI(spec.values, level);
  let reference: MeanCI;
  let difference: MeanCI;
  if (ref.values !== undefined) {
    if (!finiteList(ref.values)) fail(fn, "spec.reference.values", "must be a non-empty array of finite numbers");
    reference = meanCI(ref.values, level);
    if (ref.paired) {
      if (ref.values.length !== spec.values.length) fail(fn, "spec.reference.values", `paired with spec.values must have ${spec.values.length} values, got ${ref.values.length}`);
      const rv = ref.values;
      difference = meanCI(spec.values.map((v, i) => v - rv[i]), level);
    } else {
      difference = welch(measured, reference, level);
    }
  } else {
    if (typeof ref.value !== "number" || !Number.isFinite(ref.value)) fail(fn, "spec.reference.value", "must be a finite number");
    reference = { mean: ref.value, std: 0, n: 1, halfWidth: 0, lo: ref.value, hi: ref.value };
    difference = meanCI(spec.values.map((v) => v - (ref.value as number)), level);
  }
  const seeds = spec.values.length;
  const cleared = spec.direction === "below" ? difference.hi < -margin : difference.lo > margin;
  const passed = seeds >= 2 && cleared;
  const side = spec.direction === "below" ? "below" : "above";
  const why = seeds < 2 ? "not judged: one seed gives no interval" : passed ? "holds" : "does not hold";
  const text = `${spec.quantity}: ${ci(measured)} over ${seeds} seed${seeds === 1 ? "" : "s"}; ${ref.name}: ${ci(reference)}; ` +
    `difference ${ci(difference)} (${Math.round(level * 100)}% interval), claim: ${side} by more than ${fmt(margin)}, ${why}`;
  return { quantity: spec.quantity.trim(), direction: spec.direction, margin, level, measured, referenceName: ref.name.trim(), reference, difference, passed, text };
}

/** Whether `v` has the shape of a ClaimCheckData (what the main job reads back from a notebook). */
export function isClaimCheck(v: unknown): v is ClaimCheckData {
  const c = v as ClaimCheckData;
  return !!c && typeof c === "object" && typeof c.quantity === "string" && typeof c.referenceName === "string" && typeof c.passed === "boolean" &&
    typeof c.text === "string" && !!c.difference && typeof c.difference.lo === "number";
}

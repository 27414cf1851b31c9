/**
 * What a sweep is: a trial function (a registry name, or an export of a user's module file), a search space over
 * named parameters (grid or random search; values, linear ranges, log ranges), fixed parameters and seeds per point.
 * `planSweep` validates a spec and expands it into trials with stable ids, so that the same spec gives the same
 * trials (and the same ids) in every process: the submitter, a resumed submitter and the workers.
 */
import { createHash } from "node:crypto";
import { Rng, fail } from "../tensor";

/** A parameter value a job can carry: JSON, never code. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * The values of one parameter: a list (or `{ values }`), a linear range `{ range: [lo, hi], count }` or a log range
 * `{ logRange: [lo, hi], count }`. Grid search takes `count` evenly (log-evenly) spaced values from a range; random
 * search draws uniformly (log-uniformly) and ignores `count`. `integer` rounds the values.
 */
export type ParamDomain =
  | JsonValue[]
  | { values: JsonValue[] }
  | { range: [number, number]; count?: number; integer?: boolean }
  | { logRange: [number, number]; count?: number; integer?: boolean };

/** Successive halving (Jamieson & Talwalkar 2016, Alg. 1): run every point at the smallest budget, keep the best
 * 1/eta by the mean of `metric` over seeds, run those at eta times the budget, and so on. */
export interface HalvingSpec {
  /** The metric the trial reports that ranks the points. */
  metric: string;
  /** "min" (default) keeps the lowest means, "max" the highest. */
  mode?: "min" | "max";
  /** The trial parameter that carries the budget (training steps, say); it must not be in the space. */
  budgetParam: string;
  /** Budgets of the rungs, increasing (e.g. [100, 300, 900]). */
  budgets: number[];
  /** Keep 1/eta of the points per rung (default 3). */
  eta?: number;
}

export interface SweepSpec {
  /** The experiment column of the table (default: the function name). */
  name?: string;
  /** A registry name (`fusion.fusionStudy1D`, `trainScore`, ...; see listTrials()) or, with `module`, an export name. */
  fn: string;
  /** A CommonJS module file (.js/.cjs) exporting `fn` as a trial made with defineTrial. */
  module?: string;
  /** Parameters searched over. */
  space: Record<string, ParamDomain>;
  /** Parameters passed unchanged to every trial. */
  fixed?: Record<string, JsonValue>;
  /** "grid" (default): every combination; "random": `samples` points drawn with `searchSeed`. */
  search?: "grid" | "random";
  samples?: number;
  searchSeed?: number;
  /** Seeds run at every point: a list of integers, or a count n for seeds 0..n-1. */
  seeds: number[] | number;
  /** Times a trial may be started before it is reported failed (a worker killed mid-trial uses one; default 3). */
  attempts?: number;
  halving?: HalvingSpec;
}

/** One run: a function, its parameters and a seed. The id is a hash of exactly those. */
export interface Trial {
  id: string;
  /** Position in the plan (table order). */
  index: number;
  fn: string;
  module?: string;
  params: Record<string, JsonValue>;
  seed: number;
  /** The id of the point (parameters without the seed), shared by its seeds. */
  point: string;
  attempts: number;
  /** Successive-halving rung (0 when no halving). */
  rung: number;
}

/** Columns every sweep row has; a parameter may not take one of these names. */
export const RESERVED_COLUMNS = ["experiment", "model", "dataset", "seed", "metric", "value", "trial", "status", "seconds", "worker", "error", "attempts", "rung"];

/** Looks up the parameter names a trial function takes (or throws its own clear error). */
export type ParamLookup = (fn: string, module: string | undefined) => string[];

const FN = "sweep";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkJson(v: unknown, arg: string, depth = 0): JsonValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) fail(FN, arg, `must be a finite number, got ${v}`);
    return v;
  }
  if (depth > 8) fail(FN, arg, "nests deeper than 8 levels");
  if (Array.isArray(v)) return v.map((x, i) => checkJson(x, `${arg}[${i}]`, depth + 1));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, checkJson(x, `${arg}.${k}`, depth + 1)]));
  return fail(FN, arg, `must be JSON data (string, number, boolean, null, array, object); a job never carries code, got ${typeof v}`);
}

function checkRange(r: unknown, arg: string, log: boolean): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || r.some((x) => typeof x !== "number" || !Number.isFinite(x))) fail(FN, arg, "must be [lo, hi], two finite numbers");
  const [lo, hi] = r as [number, number];
  if (!(lo <= hi)) fail(FN, arg, `must have lo <= hi, got [${lo}, ${hi}]`);
  if (log && !(lo > 0)) fail(FN, arg, `is a log range and must be positive, got [${lo}, ${hi}]`);
  return [lo, hi];
}

/** The grid values of one domain, or for random search a sampler of one value. */
function domainValues(d: ParamDomain, arg: string, search: "grid" | "random"): { grid: JsonValue[]; draw: (rng: Rng) => JsonValue } {
  if (Array.isArray(d) || (isPlainObject(d) && "values" in d)) {
    const list = Array.isArray(d) ? d : (d as { values: unknown }).values;
    if (!Array.isArray(list)) fail(FN, `${arg}.values`, "must be an array");
    if (list.length === 0) fail(FN, arg, "is empty: give at least one value");
    const vals = list.map((v, i) => checkJson(v, `${arg}[${i}]`));
    return { grid: vals, draw: (rng) => vals[rng.int(vals.length)] };
  }
  if (!isPlainObject(d) || !("range" in d || "logRange" in d)) fail(FN, arg, "must be a list of values, { values }, { range: [lo, hi], count } or { logRange: [lo, hi], count }");
  const log = "logRange" in d;
  const [lo, hi] = checkRange(log ? (d as { logRange: unknown }).logRange : (d as { range: unknown }).range, `${arg}.${log ? "logRange" : "range"}`, log);
  const integer = (d as { integer?: unknown }).integer === true;
  const round = (x: number) => (integer ? Math.round(x) : x);
  const count = (d as { count?: unknown }).count;
  if (search === "grid" && (typeof count !== "number" || !Number.isInteger(count) || count < 1)) fail(FN, `${arg}.count`, `must be a positive integer for grid search (how many values of the range), got ${String(count)}`);
  const c = count as number;
  // The ends are exact (a log range [1e-4, 1e-2] gives 1e-4 itself, not exp(log(1e-4)) a few ulps off).
  const at = (u: number) => round(u === 0 ? lo : u === 1 ? hi : log ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo));
  const grid = search === "grid" ? [...new Set(Array.from({ length: c }, (_, i) => at(c === 1 ? 0 : i / (c - 1))))] : [];
  return { grid, draw: (rng) => at(rng.next()) };
}

/** JSON with sorted keys, so that equal parameter sets hash equally whatever their key order. */
export function canonicalJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, JsonValue>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/** A short stable hash (hex) of a JSON value. @example stableId({ a: 1 }) === stableId({ a: 1 }) */
export function stableId(v: JsonValue, length = 16): string {
  return createHash("sha256").update(canonicalJson(v)).digest("hex").slice(0, length);
}

function cartesian(names: string[], values: JsonValue[][]): Record<string, JsonValue>[] {
  let out: Record<string, JsonValue>[] = [{}];
  names.forEach((n, i) => {
    out = out.flatMap((p) => values[i].map((v) => ({ ...p, [n]: v })));
  });
  return out;
}

/** A checked spec with its normalised parts. */
export interface SweepPlan {
  spec: SweepSpec;
  experiment: string;
  seeds: number[];
  /** Parameter sets of the first rung (fixed merged in), in table order. */
  points: Record<string, JsonValue>[];
  attempts: number;
  halving?: Required<HalvingSpec>;
}

/**
 * Validates a spec against the parameters its function takes and expands it; throws one Error naming what is wrong
 * before anything is enqueued.
 * @example planSweep({ fn: "trainScore", space: { lr: [1e-3, 3e-3] }, seeds: 5 }, lookup).points.length // 2
 */
export function planSweep(spec: SweepSpec, lookupParams: ParamLookup): SweepPlan {
  if (!isPlainObject(spec)) fail(FN, "spec", "must be an object { fn, space, seeds, ... }");
  const s = spec as SweepSpec;
  if (typeof s.fn !== "string" || s.fn.length === 0) fail(FN, "spec.fn", "must name the trial function (a registry name such as 'fusion.fusionStudy1D', or an export of spec.module)");
  if (s.module !== undefined && (typeof s.module !== "string" || s.module.length === 0)) fail(FN, "spec.module", "must be a module file path when given");
  const known = lookupParams(s.fn, s.module);
  if (!isPlainObject(s.space)) fail(FN, "spec.space", "must be an object of parameter domains, e.g. { n: [32, 64] }");
  const names = Object.keys(s.space);
  if (names.length === 0) fail(FN, "spec.space", "is empty: name at least one parameter to sweep");
  const fixed = s.fixed === undefined ? {} : isPlainObject(s.fixed) ? (checkJson(s.fixed, "spec.fixed") as Record<string, JsonValue>) : fail(FN, "spec.fixed", "must be an object of parameter values");
  const halving = s.halving === undefined ? undefined : checkHalving(s.halving, names, Object.keys(fixed));
  const all = [...names, ...Object.keys(fixed), ...(halving ? [halving.budgetParam] : [])];
  for (const p of all) {
    if (RESERVED_COLUMNS.includes(p)) fail(FN, `spec.space.${p}`, `is a column every sweep row has (${RESERVED_COLUMNS.join(", ")}); the seed comes from spec.seeds`);
    if (!known.includes(p)) fail(FN, names.includes(p) ? `spec.space.${p}` : Object.keys(fixed).includes(p) ? `spec.fixed.${p}` : "spec.halving.budgetParam", `is not a parameter of '${s.fn}'; it takes: ${known.join(", ") || "no parameters"}`);
  }
  for (const n of names) if (n in fixed) fail(FN, `spec.fixed.${n}`, "is also in spec.space; give it in one of them");
  const search = s.search ?? "grid";
  if (search !== "grid" && search !== "random") fail(FN, "spec.search", `must be "grid" or "random", got ${String(search)}`);
  const domains = names.map((n) => domainValues(s.space[n], `spec.space.${n}`, search));
  let points: Record<string, JsonValue>[];
  if (search === "grid") points = cartesian(names, domains.map((d) => d.grid));
  else {
    if (typeof s.samples !== "number" || !Number.isInteger(s.samples) || s.samples < 1) fail(FN, "spec.samples", `must be a positive integer (random search points), got ${String(s.samples)}`);
    const seed = s.searchSeed ?? 0;
    if (!Number.isInteger(seed)) fail(FN, "spec.searchSeed", `must be an integer, got ${String(seed)}`);
    const rng = new Rng(seed);
    points = Array.from({ length: s.samples }, () => Object.fromEntries(names.map((n, i) => [n, domains[i].draw(rng)])));
  }
  const seeds = checkSeeds(s.seeds);
  const attempts = s.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) fail(FN, "spec.attempts", `must be a positive integer, got ${String(attempts)}`);
  if (s.name !== undefined && (typeof s.name !== "string" || s.name.length === 0)) fail(FN, "spec.name", "must be a non-empty string when given");
  return { spec: s, experiment: s.name ?? s.fn, seeds, points: points.map((p) => ({ ...fixed, ...p })), attempts, halving };
}

function checkSeeds(seeds: unknown): number[] {
  if (typeof seeds === "number") {
    if (!Number.isInteger(seeds) || seeds < 1) fail(FN, "spec.seeds", `must be a positive integer count or a list of integer seeds, got ${seeds}`);
    return Array.from({ length: seeds }, (_, i) => i);
  }
  if (!Array.isArray(seeds) || seeds.length === 0) fail(FN, "spec.seeds", "must be a non-empty list of integer seeds, or a count");
  seeds.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isInteger(x)) fail(FN, `spec.seeds[${i}]`, `must be an integer, got ${typeof x === "number" ? x : JSON.stringify(x)}`);
  });
  if (new Set(seeds).size !== seeds.length) fail(FN, "spec.seeds", "must not repeat a seed");
  return seeds as number[];
}

function checkHalving(h: unknown, space: string[], fixed: string[]): Required<HalvingSpec> {
  if (!isPlainObject(h)) fail(FN, "spec.halving", "must be { metric, budgetParam, budgets, eta?, mode? }");
  const o = h as unknown as HalvingSpec;
  if (typeof o.metric !== "string" || !o.metric) fail(FN, "spec.halving.metric", "must name a metric the trial reports");
  if (typeof o.budgetParam !== "string" || !o.budgetParam) fail(FN, "spec.halving.budgetParam", "must name the trial parameter that carries the budget");
  if (space.includes(o.budgetParam) || fixed.includes(o.budgetParam)) fail(FN, "spec.halving.budgetParam", `'${o.budgetParam}' is set by the rungs; remove it from spec.space and spec.fixed`);
  if (!Array.isArray(o.budgets) || o.budgets.length === 0 || o.budgets.some((b, i) => typeof b !== "number" || !(b > 0) || (i > 0 && !(b > o.budgets[i - 1])))) {
    fail(FN, "spec.halving.budgets", "must be a non-empty list of increasing positive budgets");
  }
  const eta = o.eta ?? 3;
  if (typeof eta !== "number" || !(eta > 1)) fail(FN, "spec.halving.eta", `must be a number > 1, got ${String(eta)}`);
  const mode = o.mode ?? "min";
  if (mode !== "min" && mode !== "max") fail(FN, "spec.halving.mode", `must be "min" or "max", got ${String(mode)}`);
  return { metric: o.metric, budgetParam: o.budgetParam, budgets: o.budgets, eta, mode };
}

/**
 * The trials of some points at every seed, in table order (point-major). `rung` and `budget` are set by successive
 * halving; the id hashes function, module, parameters and seed, so re-planning gives the same ids.
 * @example trialsOf(plan, plan.points).map((t) => t.id)
 */
export function trialsOf(plan: SweepPlan, points: Record<string, JsonValue>[], rung = 0, indexBase = 0): Trial[] {
  const { fn, module } = plan.spec;
  const out: Trial[] = [];
  for (const p of points) {
    const params = plan.halving ? { ...p, [plan.halving.budgetParam]: plan.halving.budgets[rung] } : p;
    const point = stableId({ fn, module: module ?? null, params });
    for (const seed of plan.seeds) {
      out.push({ id: stableId({ fn, module: module ?? null, params, seed }), index: indexBase + out.length, fn, module, params, seed, point, attempts: plan.attempts, rung });
    }
  }
  return out;
}

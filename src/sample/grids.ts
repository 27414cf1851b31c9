/**
 * Noise grids as data: the times T = t_0 > t_1 > ... > t_N = tMin a sampler steps through. Every sampler takes one
 * (`opts.grid`), so a grid is compared across samplers and a sampler across grids. Rules stated in the noise level
 * sigma = s / a (src/sde/sigma.ts) are mapped back to times by the SDE, and the end points are set exactly:
 * t_0 = T (where the prior is drawn) and t_N = tMin.
 */
import { checkNumber, checkSteps, fail } from "../tensor";
import { isSDE, sigmaAt, timeAtSigma, type GridSpec, type SDE } from "../sde";

export const GRID_NAMES = ["uniform", "karras", "logsnr"] as const;
export type GridName = (typeof GRID_NAMES)[number];

/** EDM's default rho (Karras et al. 2022, eq. 5 and Table 1). */
export const KARRAS_RHO = 7;

function checkSDE(sde: unknown, fn: string): SDE {
  if (!isSDE(sde)) fail(fn, "sde", "must be an SDE (from vpSDE, veSDE, subVpSDE or makeSDE)");
  return sde as SDE;
}

/** Times from noise levels sigma_0 > ... > sigma_N with the end points pinned to T and tMin. */
function timesOfSigmas(sde: SDE, sigmas: number[], fn: string): number[] {
  // The ends are T and tMin by definition: (sigma_max^(1/rho))^rho can round one ulp past sigma(T).
  const last = sigmas.length - 1;
  return sigmas.map((s, i) => (i === 0 ? sde.T : i === last ? sde.tMin : timeAtSigma(sde, s, fn)));
}

/**
 * The grid a rule gives for `steps` steps (steps + 1 times, descending from T to tMin):
 *   "uniform": t_i = T + (i / N)(tMin - T) (Song et al. 2021);
 *   "karras":  sigma_i = (sigma_max^(1/rho) + (i / N)(sigma_min^(1/rho) - sigma_max^(1/rho)))^rho, rho = 7 by default
 *              (Karras et al. 2022, eq. 5, with sigma_max = sigma(T), sigma_min = sigma(tMin) and no appended zero);
 *   "logsnr":  uniform in lambda = log(a / s) = -log sigma (Lu et al. 2022, DPM-Solver, Sec. 3.3), a geometric sigma;
 *   an array:  validated by checkGrid and returned as given.
 * @example noiseGrid(vpSDE(), 10, "karras"); // [1, ..., 0.001], denser near tMin than uniform
 */
export function noiseGrid(sde: SDE, steps: number, spec: GridSpec = "uniform", fn = "noiseGrid", arg = "grid"): number[] {
  checkSDE(sde, fn);
  const N = checkSteps(steps, "steps", fn);
  if (Array.isArray(spec)) {
    const ts = checkGrid(sde, spec, fn, arg);
    if (ts.length !== N + 1) fail(fn, arg, `must hold steps + 1 = ${N + 1} times, got ${ts.length}`);
    return ts;
  }
  const kind = typeof spec === "string" ? spec : spec !== null && typeof spec === "object" ? (spec as { kind?: unknown }).kind : undefined;
  if (!GRID_NAMES.includes(kind as GridName)) {
    fail(fn, arg, `must be one of ${GRID_NAMES.join(", ")}, { kind: "karras", rho }, or an array of times, got ${JSON.stringify(spec)}`);
  }
  if (kind === "uniform") {
    const ts: number[] = [];
    for (let i = 0; i <= N; i++) ts.push(sde.T + (i / N) * (sde.tMin - sde.T));
    ts[N] = sde.tMin;
    return ts;
  }
  const hi = sigmaAt(sde, sde.T), lo = sigmaAt(sde, sde.tMin);
  const sigmas: number[] = [];
  if (kind === "karras") {
    const rho = checkNumber(typeof spec === "object" ? (spec as { rho?: number }).rho ?? KARRAS_RHO : KARRAS_RHO, `${arg}.rho`, fn, { gt: 0 });
    const a = hi ** (1 / rho), b = lo ** (1 / rho);
    for (let i = 0; i <= N; i++) sigmas.push((a + (i / N) * (b - a)) ** rho);
  } else {
    const a = Math.log(hi), b = Math.log(lo);
    for (let i = 0; i <= N; i++) sigmas.push(Math.exp(a + (i / N) * (b - a)));
  }
  return timesOfSigmas(sde, sigmas, fn);
}

/**
 * Validates a user grid of times: at least two finite numbers, strictly decreasing, starting at T (the prior's time,
 * within 1e-12 relative) and ending at or above tMin. Returns a copy as plain numbers.
 * @example checkGrid(vpSDE(), [1, 0.5, 0.1, 0.001], "mySampler");
 */
export function checkGrid(sde: SDE, grid: unknown, fn = "checkGrid", arg = "grid"): number[] {
  checkSDE(sde, fn);
  if (!Array.isArray(grid) && !(grid instanceof Float64Array) && !(grid instanceof Float32Array)) fail(fn, arg, `must be an array of times, got ${typeof grid}`);
  const ts = Array.from(grid as ArrayLike<unknown>);
  if (ts.length < 2) fail(fn, arg, `must hold at least two times (T and the last time), got ${ts.length}`);
  ts.forEach((t, i) => { if (typeof t !== "number" || !Number.isFinite(t)) fail(fn, `${arg}[${i}]`, `must be a finite number, got ${String(t)}`); });
  const v = ts as number[];
  for (let i = 1; i < v.length; i++) {
    if (!(v[i] < v[i - 1])) fail(fn, arg, `must be strictly decreasing (from T to tMin), but ${arg}[${i}] = ${v[i]} follows ${v[i - 1]}`);
  }
  if (Math.abs(v[0] - sde.T) > 1e-12 * sde.T) fail(fn, `${arg}[0]`, `must equal the SDE's T = ${sde.T} (the prior is drawn there), got ${v[0]}`);
  if (v[v.length - 1] < sde.tMin) fail(fn, `${arg}[${v.length - 1}]`, `must be >= the SDE's tMin = ${sde.tMin}, got ${v[v.length - 1]}`);
  v[0] = sde.T;
  return v.slice();
}

/** The grid a sampler's options ask for (`opts.grid`, default uniform). */
export function samplerGrid(sde: SDE, opts: { steps: number; grid?: GridSpec }, fn: string): number[] {
  return noiseGrid(sde, opts.steps, opts.grid ?? "uniform", fn, "opts.grid");
}

/**
 * The scalar view of a linear forward SDE dx = f(t) x dt + sqrt(g2(t)) dW that the Gaussian recursions and the
 * bounds need: drift coefficient, squared diffusion, marginal scale a(t) and variance v(t) (x_t = a x_0 + sqrt(v) eps),
 * and the prior variance the sampler starts from. Built either from an SDE object (src/sde) or from a bare
 * schedule beta(t) with the stationary variance s_inf^2 of the noise-schedule paper (Strasman et al. 2024):
 * dX = -beta(t) / (2 s_inf^2) X dt + sqrt(beta(t)) dB.
 */
import { fail, checkNumber } from "../tensor";
import type { SDE } from "../sde/types";

/** What the bounds need of a schedule: beta and its integral B(t) = int_0^t beta. */
export interface ScheduleLike { name?: string; beta(t: number): number; integral(t: number): number }

export interface LinearProcess {
  name: string;
  T: number;
  tMin: number;
  f(t: number): number;
  g2(t: number): number;
  a(t: number): number;
  v(t: number): number;
  priorVar: number;
  /** Present only for the s_inf-parameterised VP family, which the KL bound is stated for. */
  schedule?: ScheduleLike;
  sInf?: number;
}

export interface ProcessOptions {
  sde?: SDE;
  schedule?: ScheduleLike;
  /** Stationary standard deviation s_inf of the forward process (schedule form only; default 1). */
  sInf?: number;
  /** Horizon (schedule form; default 1; an SDE brings its own). */
  T?: number;
  /** Last time of the reverse grid (default 0 for a schedule, sde.tMin for an SDE). */
  tMin?: number;
}

function isSchedule(s: unknown): s is ScheduleLike {
  return typeof s === "object" && s !== null && typeof (s as ScheduleLike).beta === "function" && typeof (s as ScheduleLike).integral === "function";
}

/**
 * Builds the scalar process from `{sde}` or `{schedule, sInf, T}`.
 * @example const p = linearProcess({ schedule: { beta: () => 1, integral: (t) => t } }, "f"); p.a(1) // exp(-1/2)
 */
export function linearProcess(opts: ProcessOptions, fn: string): LinearProcess {
  if (opts.sde !== undefined && opts.schedule !== undefined) fail(fn, "opts", "takes either 'sde' or 'schedule', not both");
  if (opts.sde !== undefined) {
    const sde = opts.sde;
    if (typeof sde !== "object" || sde === null || typeof sde.marginalAt !== "function" || typeof sde.driftCoefAt !== "function" || typeof sde.diffusionAt !== "function") {
      fail(fn, "sde", "must be an SDE with marginalAt, driftCoefAt and diffusionAt (see src/sde)");
    }
    const tMin = opts.tMin === undefined ? sde.tMin : checkNumber(opts.tMin, "tMin", fn, { min: 0, lt: sde.T });
    const sInf = sde.kind === "vp" ? 1 : undefined;
    return {
      name: sde.describe ? sde.describe() : sde.kind,
      T: sde.T,
      tMin,
      f: (t) => sde.driftCoefAt(t),
      g2: (t) => sde.diffusionAt(t) ** 2,
      a: (t) => sde.marginalAt(t).scale,
      v: (t) => sde.marginalAt(t).std ** 2,
      // The SDE kind's own prior: N(0, I) for VP and sub-VP, VE's marginal spread at T.
      priorVar: sde.priorVar,
      schedule: sde.kind === "vp" ? sde.schedule : undefined,
      sInf,
    };
  }
  if (!isSchedule(opts.schedule)) fail(fn, "schedule", "must be an object with beta(t) and integral(t) functions (or pass 'sde')");
  const schedule = opts.schedule;
  const sInf = opts.sInf === undefined ? 1 : checkNumber(opts.sInf, "sInf", fn, { gt: 0 });
  const T = opts.T === undefined ? 1 : checkNumber(opts.T, "T", fn, { gt: 0 });
  const tMin = opts.tMin === undefined ? 0 : checkNumber(opts.tMin, "tMin", fn, { min: 0, lt: T });
  const s2 = sInf * sInf;
  const bT = schedule.beta(T);
  if (!(Number.isFinite(bT) && bT > 0)) fail(fn, "schedule", `must give a finite beta(T) > 0, got ${bT}`);
  return {
    name: schedule.name ?? "schedule",
    T,
    tMin,
    f: (t) => -schedule.beta(t) / (2 * s2),
    g2: (t) => schedule.beta(t),
    a: (t) => Math.exp(-schedule.integral(t) / (2 * s2)),
    // -expm1 keeps v(t) accurate for small t, where 1 - exp(-B) would cancel.
    v: (t) => -s2 * Math.expm1(-schedule.integral(t) / s2),
    priorVar: s2,
    schedule,
    sInf,
  };
}

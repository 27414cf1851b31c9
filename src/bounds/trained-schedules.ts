/**
 * One seed of the trained-score schedule comparison (Strasman et al. 2024, arXiv 2402.04650, Sec. 5 setting at CPU
 * scale): draw a training set from N(mu, var I_d), fit the affine score (affine-score.ts) by DSM under every schedule,
 * and for each schedule compute the exact KL of the Euler–Maruyama sampler that uses the fitted score (exact-kl.ts)
 * beside the KL bound E1 + E2 + E3 with E2 from the fitted score's closed-form L2 error at each step (kl-bound.ts).
 * The same training set and the same DSM draws serve every schedule of a seed (common random numbers), so schedule
 * differences within a seed are not sampling noise of the comparison itself.
 */
import { fail, checkNumber, checkSteps, Rng } from "../tensor";
import { exponentialSchedule, cosineSchedule } from "../sde";
import { exactRecursion, type EigenTarget } from "./exact-kl";
import { diagGaussianKL } from "./gaussian";
import { klBound } from "./kl-bound";
import { linearProcess } from "./process";
import { fitAffineScore, affineScoreErrorSq } from "./affine-score";
import type { ScheduleLike } from "./process";

export interface TrainedSchedulesOptions {
  seed: number;
  /** Dimension d of the target N(mean, variance I_d) (default 10, mean 1, variance 0.5: the paper's Gaussian). */
  dim?: number;
  mean?: number;
  variance?: number;
  /** Training points (default 1000) and DSM passes over them (default 10). */
  n?: number;
  passes?: number;
  /** Polynomial degree of the model in a(t) (default 5). */
  degree?: number;
  /** Sampler steps (default 100, the paper's). */
  steps?: number;
  /** Exponential-family parameters a (default -10..10 by 1). */
  as?: number[];
  /** Also the cosine schedule (default true). */
  cosine?: boolean;
}

export interface TrainedScheduleRow {
  schedule: string;
  /** The exponential family's a; null for the cosine schedule. */
  a: number | null;
  /** KL(target || generated) of the sampler with the fitted score, exact. */
  kl: number;
  /** The same sampler with the exact score: what the score error adds is kl - klExactScore. */
  klExactScore: number;
  bound: number;
  e1: number;
  e2: number;
  e3: number;
}

export const DEFAULT_AS: readonly number[] = Array.from({ length: 21 }, (_, i) => -10 + i);

/**
 * Runs one seed over all schedules.
 * @example trainedSchedules({ seed: 1, dim: 5, n: 200 }).map((r) => [r.a, r.kl, r.bound])
 */
export function trainedSchedules(opts: TrainedSchedulesOptions): TrainedScheduleRow[] {
  const fn = "trainedSchedules";
  if (typeof opts !== "object" || opts === null) fail(fn, "opts", "must be an options object { seed, ... }");
  const seed = checkNumber(opts.seed, "opts.seed", fn, { integer: true, min: 0 });
  const d = checkNumber(opts.dim ?? 10, "opts.dim", fn, { integer: true, min: 1, max: 1000 });
  const mean = checkNumber(opts.mean ?? 1, "opts.mean", fn);
  const variance = checkNumber(opts.variance ?? 0.5, "opts.variance", fn, { gt: 0 });
  const n = checkNumber(opts.n ?? 1000, "opts.n", fn, { integer: true, min: 2, max: 1e6 });
  const steps = checkSteps(opts.steps ?? 100, "opts.steps", fn);
  const as = opts.as ?? DEFAULT_AS;
  if (!Array.isArray(as) || as.length === 0 || as.some((a) => typeof a !== "number" || !Number.isFinite(a))) fail(fn, "opts.as", "must be a non-empty array of finite numbers");
  const schedules: { schedule: ScheduleLike; a: number | null }[] = as.map((a) => ({ schedule: exponentialSchedule({ a }), a }));
  if (opts.cosine ?? true) schedules.push({ schedule: cosineSchedule(), a: null });

  const rng = new Rng(seed);
  const sd = Math.sqrt(variance);
  const data = Array.from({ length: n }, () => Array.from({ length: d }, () => mean + sd * rng.nextNormal()));
  const mu = new Array(d).fill(mean), vars = new Array(d).fill(variance);
  // The target is isotropic, so its eigenbasis is the standard one: the fitted per-coordinate score applies as is.
  const tg: EigenTarget = { mu, lambda: vars, vectors: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))) };
  const target = { mean: mu, cov: variance };
  return schedules.map(({ schedule, a }) => {
    const p = linearProcess({ schedule }, fn);
    // fork(1) restarts the same DSM stream for every schedule: common random numbers across schedules.
    const model = fitAffineScore({ process: p, data, passes: opts.passes, degree: opts.degree, rng: rng.fork(1) });
    const law = exactRecursion(p, tg, { steps, sampler: "euler", lastStepNoise: true, score: model.at });
    const exact = exactRecursion(p, tg, { steps, sampler: "euler", lastStepNoise: true });
    const h = p.T / steps;
    // eps_k at the time the k-th reverse step evaluates the score, T - k h (kl-bound.ts's convention).
    const eps = Array.from({ length: steps }, (_, k) => Math.sqrt(affineScoreErrorSq(model.at, p, mu, vars, p.T - k * h)));
    const b = klBound({ schedule, target, steps, scoreError: eps });
    return {
      schedule: a === null ? "cosine" : `exp(a=${a})`, a,
      kl: diagGaussianKL(mu, vars, law.m, law.c), klExactScore: diagGaussianKL(mu, vars, exact.m, exact.c),
      bound: b.total, e1: b.e1, e2: b.e2, e3: b.e3,
    };
  });
}

/**
 * A likelihood whose integrator error is bounded by a stated tolerance (issue 23): the probability-flow ODE
 * (Song et al. 2021, Sec. 4.3) is integrated with RK4 at s, 2s, 4s, ... steps until two successive mean bits/dim
 * differ by less than `tol`. The Hutchinson probes (one fixed Rademacher probe per row, as FFJORD) come from the
 * same seed at every step count, so the differences measure the discretisation only, not probe noise.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";
import { logLikelihood } from "../sample";

export interface ConvergedLikelihoodOptions {
  /** First step count (default 16). */
  startSteps?: number;
  /** Largest step count tried (default 512). */
  maxSteps?: number;
  /** Stop when |bpd(2s) - bpd(s)| < tol (default 0.01 bits/dim). */
  tol?: number;
  /** Seed of the Hutchinson probes (the same at every step count). */
  seed?: number;
  /** "hutchinson" (default) or "exact" (d <= 16). */
  divergence?: "exact" | "hutchinson";
  signal?: AbortSignal;
}

export interface ConvergedLikelihood {
  /** Mean bits/dim of the continuous density at the last step count (add a dequantization offset for discrete data). */
  bitsPerDim: number;
  /** Mean log-density (nats) at the last step count. */
  meanLogp: number;
  steps: number;
  /** Whether the last doubling changed bits/dim by less than tol (false: maxSteps was reached first). */
  converged: boolean;
  /** bits/dim at each step count tried. */
  trace: { steps: number; bitsPerDim: number }[];
}

/**
 * Mean held-out bits/dim (and log-density) of (score, sde) on x, by RK4 with the step count doubled until converged.
 * @example const r = await convergedLikelihood(model.score, sde, xTest, { tol: 0.01, seed: 3 }); r.bitsPerDim, r.steps
 */
export async function convergedLikelihood(score: ScoreFn, sde: SDE, x: tf.Tensor, opts: ConvergedLikelihoodOptions = {}): Promise<ConvergedLikelihood> {
  const fn = "convergedLikelihood";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const start = checkNumber(opts.startSteps ?? 16, "opts.startSteps", fn, { integer: true, min: 1 });
  const max = checkNumber(opts.maxSteps ?? 512, "opts.maxSteps", fn, { integer: true, min: 2 * start });
  const tol = checkNumber(opts.tol ?? 0.01, "opts.tol", fn, { gt: 0 });
  const seed = checkNumber(opts.seed ?? 0, "opts.seed", fn, { integer: true, min: 0 });
  const divergence = opts.divergence ?? "hutchinson";
  const trace: ConvergedLikelihood["trace"] = [];
  let last = { bpd: NaN, logp: NaN };
  for (let steps = start; steps <= max; steps *= 2) {
    const r = await logLikelihood(score, sde, x, { steps, divergence, probes: 1, probe: "rademacher", rng: new Rng(seed), signal: opts.signal });
    trace.push({ steps, bitsPerDim: r.meanBitsPerDim });
    const converged = Math.abs(r.meanBitsPerDim - last.bpd) < tol;
    last = { bpd: r.meanBitsPerDim, logp: r.meanLogp };
    if (converged) return { bitsPerDim: last.bpd, meanLogp: last.logp, steps, converged: true, trace };
  }
  return { bitsPerDim: last.bpd, meanLogp: last.logp, steps: trace[trace.length - 1].steps, converged: false, trace };
}

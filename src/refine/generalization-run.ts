/**
 * The headline experiment of Husain, De Bortoli, Nock (arXiv 2603.18817) at CPU scale, one seed: refine a wrong
 * base model q (two modes weighted 0.8/0.2) towards data p (0.5/0.5) by the density ratio of a discriminator
 * trained on n data points, and measure the refined model's test error, KL(p || q_r) on held-out points
 * (refined-kl.ts), beside the base model's on the same points. The paper says refinement improves generalization
 * over the base model, by an amount governed by the Rademacher complexity of the discriminator class: so the run
 * varies n at a fixed width (the complexity term shrinks with n) and the width at a fixed small n (a richer class).
 * Every configuration trains for the same number of steps with no early stopping, so only n or the width changes.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkLongWork, checkNumber, fail, type LongWorkOptions } from "../tensor";
import { GaussianMixture } from "../data/gmm";
import type { ResultRow } from "../table";
import { type RefineResult, refineGenerator } from "./refine-generator";
import { refinedKL } from "./refined-kl";

/** The data law and the deliberately wrong base model of every refinement experiment (modes 8 std apart). */
export const STUDY_DATA = { weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] };
export const STUDY_MODEL = { weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] };
export const STUDY_DATASET = "two-modes-0.5/0.5";

/** |share of rows left of x = 0 - 0.5|: the mode-weight error (the modes are 8 std apart, so the split is clean). */
export function modeWeightError(x: tf.Tensor2D): number {
  const v = x.dataSync(), d = x.shape[1];
  let c = 0;
  for (let i = 0; i < v.length; i += d) if (v[i] < 0) c++;
  return Math.abs(c / Math.max(1, x.shape[0]) - 0.5);
}

export interface RefineGeneralizationOptions extends LongWorkOptions {
  seed: number;
  /** Data sizes at width `width0`. */
  ns: number[];
  /** Discriminator widths at n = `n0`. */
  widths: number[];
  n0: number;
  width0: number;
  /** Discriminator training steps, the same for every configuration. */
  steps: number;
  /** Hidden layers of the discriminator (default 2). */
  depth?: number;
  /** Base draws the discriminator is trained against (refineGenerator's trainSize; default 2000: draws are free). */
  fakeSize?: number;
  /** Held-out data points for the KL (default 2000). */
  testSize?: number;
  /** Fresh base draws that refineGenerator reweights (its pool; Z = E_q[e^v] on them; default 4000). */
  poolSize?: number;
}

/** The configurations: the n sweep at width0 and the width sweep at n0 (they share the point (n0, width0)). */
export function refineConfigs(ns: number[], widths: number[], n0: number, width0: number): { n: number; width: number }[] {
  const all = [...ns.map((n) => ({ n, width: width0 })), ...widths.map((width) => ({ n: n0, width }))];
  return all.filter((c, i) => all.findIndex((d) => d.n === c.n && d.width === c.width) === i);
}

function checkList(v: unknown, name: string, fn: string): number[] {
  if (!Array.isArray(v) || v.length === 0) fail(fn, name, "must be a non-empty array of positive integers");
  v.forEach((x, i) => checkNumber(x, `${name}[${i}]`, fn, { integer: true, min: 1 }));
  return v as number[];
}

/**
 * One seed of the headline experiment, the refined model being refineGenerator's (SIR on its pool, the classifier's
 * ratio e^v); rows (experiment "refinement", model "base" or "refined", columns n and width) with metrics
 * heldout_kl (nats) and heldout_kl_se (its Monte Carlo standard error), and for the refined model disc_gap
 * (held-out minus training BCE of the data term: how much the discriminator overfits its n points), ess_fraction
 * and mode_weight_error (of the refined samples refineGenerator returns, as many as held-out points).
 * A study without all its runs has no verdict: an abort throws an AbortError (src/tensor/long-work.ts).
 * @example const rows = await refineGeneralizationRun({ seed: 0, ns: [25, 400], widths: [4, 256], n0: 25, width0: 32, steps: 300 });
 */
export async function refineGeneralizationRun(opts: RefineGeneralizationOptions): Promise<ResultRow[]> {
  const fn = "refineGeneralizationRun";
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an options object { seed, ns, widths, n0, width0, steps }");
  const seed = checkNumber(opts.seed, "opts.seed", fn, { integer: true, min: 0 });
  const ns = checkList(opts.ns, "opts.ns", fn), widths = checkList(opts.widths, "opts.widths", fn);
  if (ns.some((n) => n < 2)) fail(fn, "opts.ns", "must hold sizes of at least 2 (a discriminator needs two data points)");
  const n0 = checkNumber(opts.n0, "opts.n0", fn, { integer: true, min: 2 });
  const width0 = checkNumber(opts.width0, "opts.width0", fn, { integer: true, min: 1 });
  const steps = checkNumber(opts.steps, "opts.steps", fn, { integer: true, min: 1 });
  const depth = checkNumber(opts.depth ?? 2, "opts.depth", fn, { integer: true, min: 1 });
  const fakeSize = checkNumber(opts.fakeSize ?? 2000, "opts.fakeSize", fn, { integer: true, min: 2 });
  const testSize = checkNumber(opts.testSize ?? 2000, "opts.testSize", fn, { integer: true, min: 2 });
  const poolSize = checkNumber(opts.poolSize ?? 4000, "opts.poolSize", fn, { integer: true, min: 2 });
  checkLongWork(opts, fn);
  const configs = refineConfigs(ns, widths, n0, width0);
  const p = new GaussianMixture(STUDY_DATA), q = new GaussianMixture(STUDY_MODEL);
  const rng = new Rng(7000 + seed);
  const test = p.sample(testSize, rng.fork(2));
  const logP = (x: tf.Tensor2D) => p.logDensity(x), logQ = (x: tf.Tensor2D) => q.logDensity(x);
  const rows: ResultRow[] = [];
  try {
    for (const [k, { n, width }] of configs.entries()) {
      if (opts.signal?.aborted) throw abortError(fn, k, configs.length, "configuration");
      // The data set depends on n only: the width sweep at n0 sees the same n0 points for every width.
      const real = p.sample(n, rng.fork(100 + n));
      let r: RefineResult;
      try {
        // The refined model is what a user gets from refineGenerator. Its rng is the same for every configuration
        // (a pure fork), so its base draws, pool, initial weights and batches are common random numbers: the
        // configurations differ only in n or the width.
        r = await refineGenerator(q, real, {
          rng: rng.fork(4), method: "sir", n: testSize, trainSize: fakeSize, pool: poolSize, steps,
          discriminator: { width, depth }, signal: opts.signal,
        });
      } catch (e) {
        real.dispose();
        if ((e as Error).name === "AbortError") throw abortError(fn, k, configs.length, "configuration");
        throw e;
      }
      try {
        const kl = refinedKL({ test, logP, logQ, refined: r });
        const disc = r.discriminator;
        const dataBCE = (x: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.softplus(tf.neg(disc.logit(x)))).dataSync()[0]);
        const run = { experiment: "refinement", dataset: STUDY_DATASET, seed, n, width };
        rows.push(
          { ...run, model: "base", metric: "heldout_kl", value: kl.base },
          { ...run, model: "base", metric: "heldout_kl_se", value: kl.baseSE },
          { ...run, model: "refined", metric: "heldout_kl", value: kl.refined },
          { ...run, model: "refined", metric: "heldout_kl_se", value: kl.refinedSE },
          { ...run, model: "refined", metric: "disc_gap", value: dataBCE(test) - dataBCE(real) },
          { ...run, model: "refined", metric: "ess_fraction", value: r.essFraction },
          { ...run, model: "refined", metric: "mode_weight_error", value: modeWeightError(r.x) },
        );
      } finally { r.discriminator.dispose(); tf.dispose([r.x, r.pool, real]); }
      opts.onStep?.({ step: k + 1, total: configs.length, seed });
    }
  } finally { test.dispose(); }
  return rows;
}

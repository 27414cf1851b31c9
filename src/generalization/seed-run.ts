/**
 * One seed of the generalization study (Yi, Sun, Li, "On the Generalization of Diffusion Model", arXiv 2305.14712)
 * at one training-set size n: the unit the study repeats over seeds, in-process or as a sweep trial (trials.ts).
 *
 * A seed draws TWO independent training sets of n points from the ring of 8 Gaussians, builds every generator on
 * each (the DSM MLP with early stopping on a validation set of its own, convergence.ts), and measures per generator: the copy rate, distances to the nearest training point, the DSM train/test gap
 * and MMD^2 to held-out data (each averaged over the two sets), and the nearest-set mutual information between
 * the two sets' samples and their training sets (mutual-information.ts, K = 2, ceiling log 2). So every seed gives
 * one value of every metric, and the seeds are independent replicates.
 *
 * Two generators do not depend on the training set and give the null levels of every metric in the same run:
 * "fresh-data" (samples drawn from the true distribution) and "true-score" (the same sampler on the exact mixture
 * score). Their mutual information is 0 in law; the plug-in's upward bias shows in them.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkNumber, fail, type Progress } from "../tensor";
import { vpSDE } from "../sde";
import type { SDE, ScoreFn } from "../sde/types";
import { empiricalScore, mixtureScore, mlpScoreNet } from "../score";
import { ddim } from "../sample/ddim";
import { ringGaussians } from "../data/toys";
import type { GaussianMixture } from "../data/gmm";
import { mmd2 } from "../metrics/mmd";
import type { ResultRow } from "../table";
import { memorization } from "./memorization";
import { dsmGap } from "./gap";
import { nearestSetMutualInformation } from "./mutual-information";
import { trainGapObjective } from "./alternative-objective";
// Early stopping lives in src/fusion (its first user); it is a trainer of src/score's networks, not a fusion method.
import { trainEarlyStopped } from "../score/early-stopping";
import { PLATEAU_REL_TOL, trainingConvergence } from "./convergence";

export const GENERALIZATION_MODELS = ["empirical-optimum", "dsm-mlp", "gap-objective-mlp", "true-score", "fresh-data"] as const;
export type GeneralizationModel = typeof GENERALIZATION_MODELS[number];
/** The generators whose law does not depend on the training set: the nulls. */
export const NULL_MODELS: readonly GeneralizationModel[] = ["fresh-data", "true-score"];

export interface SeedRunSizes {
  /** Generators to run (see GENERALIZATION_MODELS). */
  models: GeneralizationModel[];
  /** Most optimiser steps of the trained networks (the DSM MLP's early stopping may end sooner). */
  steps: number;
  /** Validation points (fresh draws of the true law) for the DSM MLP's early stopping. */
  valSize: number;
  /** Steps between validation losses. */
  evalEvery: number;
  /** Validation losses without a new best that stop training (and the plateau window of convergence.ts). */
  patience: number;
  /** Samples generated per generator and training set. */
  samples: number;
  /** Held-out points for the DSM test loss and MMD. */
  testSize: number;
  /** DDIM steps. */
  samplerSteps: number;
  width: number;
  depth: number;
  /** Apply the final Tweedie step to every sampler's output (see StudyOptions.denoiseLast). */
  denoiseLast: boolean;
}

/** The generators run by default: the two the claim is about and the two nulls. */
export const DEFAULT_MODELS: GeneralizationModel[] = ["empirical-optimum", "dsm-mlp", "true-score", "fresh-data"];

/**
 * The sizes of full and quick mode. Full mode fits the main job's budget (10 CPU minutes on torch for 5 seeds x 4 n
 * x 2 training sets = 40 trained networks) with a cap of 2,000 steps, early stopping on the validation DSM loss
 * every 100 steps with patience 5 (500 steps without a new best); a step costs 3-6 ms of CPU whatever the width,
 * so steps are the cost.
 */
export function defaultSizes(quick: boolean): SeedRunSizes {
  return quick
    ? { models: DEFAULT_MODELS, steps: 400, valSize: 256, evalEvery: 50, patience: 4, samples: 256, testSize: 256, samplerSteps: 30, width: 64, depth: 2, denoiseLast: true }
    : { models: DEFAULT_MODELS, steps: 2000, valSize: 512, evalEvery: 100, patience: 5, samples: 1000, testSize: 1000, samplerSteps: 100, width: 128, depth: 3, denoiseLast: true };
}

/** Validates sizes (`prefix` names the options argument in the error). @example checkSizes(o, "generalizationSeed") */
export function checkSizes(o: SeedRunSizes, fn: string, prefix = "opts."): SeedRunSizes {
  if (!Array.isArray(o.models) || o.models.length === 0) fail(fn, `${prefix}models`, `must be a non-empty array of generators among ${GENERALIZATION_MODELS.join(", ")}`);
  for (const m of o.models) if (!GENERALIZATION_MODELS.includes(m)) fail(fn, `${prefix}models`, `must name generators among ${GENERALIZATION_MODELS.join(", ")}, got ${JSON.stringify(m)}`);
  if (typeof o.denoiseLast !== "boolean") fail(fn, `${prefix}denoiseLast`, `must be true or false, got ${String(o.denoiseLast)}`);
  const int = (k: keyof SeedRunSizes, min: number) => checkNumber(o[k], `${prefix}${k}`, fn, { integer: true, min });
  return {
    models: [...o.models], steps: int("steps", 1), valSize: int("valSize", 1), evalEvery: int("evalEvery", 1), patience: int("patience", 1), samples: int("samples", 2), testSize: int("testSize", 2),
    samplerSteps: int("samplerSteps", 1), width: int("width", 1), depth: int("depth", 1), denoiseLast: o.denoiseLast,
  };
}

export interface SeedRunOptions extends SeedRunSizes {
  n: number;
  seed: number;
  /** Called after each generator: step k of models.length. */
  onStep?: Progress;
  signal?: AbortSignal;
}

const EXPERIMENT = "generalization";
const DATASET = "ring8";

/** The draws of one seed at one n: two training sets, one test set, one validation set, and the true law. */
function drawData(n: number, seed: number, testSize: number, valSize: number) {
  const root = new Rng(seed * 7919 + n);
  const sets = [0, 1].map((j) => ringGaussians(n, root.fork(j)));
  const test = ringGaussians(testSize, root.fork(2)).x as tf.Tensor2D;
  // Its own fork: the validation set never changes the training or test draws of a seed.
  const val = ringGaussians(valSize, root.fork(3)).x as tf.Tensor2D;
  // ringGaussians always returns its mixture; the type has it optional for data sets without one.
  return { train: sets.map((s) => s.x as tf.Tensor2D), gmm: sets[0].gmm as GaussianMixture, test, val };
}

/** How the DSM MLP's training ended (convergence.ts): steps run, step of the kept weights, the rule's outcome. */
interface Training { stepsRun: number; bestStep: number; outcome: ReturnType<typeof trainingConvergence> }

/** A generator built on one training set: its samples, its score where it has one, and its training. */
interface Built { samples: tf.Tensor2D; score?: ScoreFn; training?: Training; release(): void }

async function sample(score: ScoreFn, sde: SDE, o: SeedRunOptions, rng: Rng): Promise<tf.Tensor2D> {
  const raw = (await ddim(score, sde, { n: o.samples, steps: o.samplerSteps, rng, shape: [2], signal: o.signal })) as tf.Tensor2D;
  if (!o.denoiseLast) return raw;
  // DDIM stops at tMin with noise of size s(tMin) ~ 0.01 left, comparable to the spacing of hundreds of 2-D
  // training points: Tweedie's x0 = (x + s^2 score) / a removes it, so copies can be resolved.
  const out = tf.tidy(() => {
    const { scale, std } = sde.marginalAt(sde.tMin);
    return tf.div(tf.add(raw, tf.mul(score(raw, tf.fill([o.samples], sde.tMin)), std * std)), scale) as tf.Tensor2D;
  });
  raw.dispose();
  return out;
}

async function build(model: GeneralizationModel, train: tf.Tensor2D, data: ReturnType<typeof drawData>, sde: SDE, o: SeedRunOptions, rng: Rng): Promise<Built> {
  if (model === "fresh-data") return { samples: ringGaussians(o.samples, rng).x as tf.Tensor2D, release() {} };
  let score: ScoreFn; let release: () => void; let training: Training | undefined;
  if (model === "empirical-optimum" || model === "true-score") {
    const exact = model === "empirical-optimum" ? empiricalScore(sde, train) : mixtureScore(sde, data.gmm);
    score = exact.score; release = () => exact.dispose();
  } else {
    const net = mlpScoreNet(sde, [2], rng.fork(1), { width: o.width, depth: o.depth });
    const train_ = { steps: o.steps, rng: rng.fork(2), batchSize: Math.min(256, Math.max(32, train.shape[0])), signal: o.signal };
    try {
      if (model === "dsm-mlp") {
        // EMA 0.99 (a 100-step horizon, the evaluation interval): the validation loss and the kept weights are the EMA's.
        const r = await trainEarlyStopped(net, train, data.val, { ...train_, maxSteps: o.steps, evalEvery: o.evalEvery, patience: o.patience, ema: 0.99, valDraws: 16 });
        training = { stepsRun: r.steps, bestStep: r.bestStep, outcome: trainingConvergence(r.valHistory, { stepsRun: r.steps, maxSteps: o.steps, patience: o.patience, relTol: PLATEAU_REL_TOL }) };
      } else await trainGapObjective(net, train, train_);
    } catch (e) { net.dispose(); throw e; }
    // An interrupt stops training early; a study has no verdict from part of its runs.
    if (o.signal?.aborted) { net.dispose(); throw abortError("generalizationSeed", 0, 1, "run"); }
    score = net.score; release = () => net.dispose();
  }
  try {
    return { samples: await sample(score, sde, o, rng.fork(3)), score, training, release };
  } catch (e) { release(); throw e; }
}

/**
 * Every generator's metrics for one seed at one n, as result rows (experiment "generalization", dataset "ring8",
 * columns n and steps; metrics memorization_rate, nn_distance_mean, within_1e-3, dsm_train, dsm_test, dsm_gap,
 * mmd2_test, mi_nearest_set, mi_standard_error, own_set_fraction; for the DSM MLP also steps_run, best_step and
 * converged_stopped / converged_plateau / converged_improving, the fractions of its two runs per outcome of
 * convergence.ts).
 * @example const rows = await generalizationSeed({ n: 16, seed: 0, models: ["empirical-optimum", "fresh-data"], steps: 0, samples: 200, testSize: 200, samplerSteps: 30, width: 64, depth: 2, denoiseLast: true });
 */
export async function generalizationSeed(o: SeedRunOptions): Promise<ResultRow[]> {
  const fn = "generalizationSeed";
  if (o === null || typeof o !== "object") fail(fn, "opts", "must be { n, seed, ...sizes }");
  checkSizes(o, fn);
  checkNumber(o.n, "opts.n", fn, { integer: true, min: 2 });
  checkNumber(o.seed, "opts.seed", fn, { integer: true });
  const sde = vpSDE();
  const data = drawData(o.n, o.seed, o.testSize, o.valSize);
  const rows: ResultRow[] = [];
  try {
    for (const model of o.models) {
      if (o.signal?.aborted) throw abortError(fn, 0, 1, "run");
      const run = { experiment: EXPERIMENT, model, dataset: DATASET, seed: o.seed, n: o.n, steps: model.endsWith("-mlp") ? o.steps : 0 };
      const sums: Record<string, number> = {};
      // Per-set metrics are averaged over the seed's two training sets.
      const add = (metric: string, v: number) => { sums[metric] = (sums[metric] ?? 0) + v / 2; };
      const samples: tf.Tensor2D[] = [];
      try {
        for (let j = 0; j < 2; j++) {
          const rng = new Rng(o.seed * 104729 + o.n * 31 + j * 7 + GENERALIZATION_MODELS.indexOf(model));
          const g = await build(model, data.train[j], data, sde, o, rng);
          samples.push(g.samples);
          try {
            const mem = memorization(g.samples, data.train[j], { eps: 1e-3 });
            add("memorization_rate", mem.memorizationRate);
            add("nn_distance_mean", mem.meanNN);
            add("within_1e-3", mem.fractionWithinEps);
            add("mmd2_test", mmd2(g.samples, data.test));
            if (g.score) {
              const gap = dsmGap(g.score, sde, data.train[j], data.test, { bins: 5, repeats: Math.max(1, Math.ceil(256 / o.n)), rng: rng.fork(4) });
              add("dsm_train", gap.meanTrain); add("dsm_test", gap.meanTest); add("dsm_gap", gap.meanGap);
            }
            if (g.training) {
              add("steps_run", g.training.stepsRun); add("best_step", g.training.bestStep);
              // Fractions of the seed's two runs: 0, 0.5 or 1 each, the three summing to 1.
              for (const k of ["stopped", "plateau", "improving"] as const) add(`converged_${k}`, g.training.outcome === k ? 1 : 0);
            }
          } finally { g.release(); }
        }
        const mi = nearestSetMutualInformation(samples, data.train);
        sums.mi_nearest_set = mi.mi; sums.mi_standard_error = mi.standardError; sums.own_set_fraction = mi.ownSetFraction;
      } finally { tf.dispose(samples); }
      for (const [metric, value] of Object.entries(sums)) rows.push({ ...run, metric, value });
      o.onStep?.({ step: o.models.indexOf(model) + 1, total: o.models.length });
    }
  } finally { tf.dispose([...data.train, data.test, data.val]); }
  return rows;
}

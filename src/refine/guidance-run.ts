/**
 * Discriminator guidance (Kim, Kim, Kang, Moon, ICML 2023, eq. 8; the diffusion case of Husain, De Bortoli, Nock,
 * arXiv 2603.18817), one seed: a time-conditioned discriminator trained on data against the base model's own
 * Euler–Maruyama samples, then guided sampling s_q + w grad log(d / (1 - d)) for each weight w (w = 0 is the base).
 * At the optimum w = 1 gives the data score exactly (test/refine/guidance.test.ts checks the identity); beyond it guidance
 * overshoots. Distances to held-out data: mode-weight error and sliced W2.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, abortError, checkLongWork, checkNumber, fail, type LongWorkOptions } from "../tensor";
import { vpSDE } from "../sde";
import { GaussianMixture } from "../data/gmm";
import { mixtureScore } from "../score/exact";
import { eulerMaruyama } from "../sample/euler-maruyama";
import { slicedWasserstein } from "../metrics/wasserstein";
import type { ResultRow } from "../table";
import { mlpDiscriminator } from "./discriminator";
import { trainDiscriminator } from "./train-discriminator";
import { guidedScore } from "./guidance";
import { STUDY_DATA, STUDY_DATASET, STUDY_MODEL, modeWeightError } from "./generalization-run";

export interface GuidanceRunOptions extends LongWorkOptions {
  seed: number;
  ws: number[];
  /** Discriminator training steps. */
  steps: number;
  /** Data points and base samples the discriminator sees (each). */
  trainSize: number;
  /** Held-out data points and guided samples per w. */
  testSize: number;
  samplerSteps: number;
}

/**
 * One seed of the guidance experiment: rows (experiment "guidance", column w) with metrics mode_weight_error and
 * sliced_w2. An abort throws an AbortError.
 * @example const rows = await guidanceRun({ seed: 0, ws: [0, 1, 4], steps: 250, trainSize: 600, testSize: 400, samplerSteps: 60 });
 */
export async function guidanceRun(opts: GuidanceRunOptions): Promise<ResultRow[]> {
  const fn = "guidanceRun";
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an options object { seed, ws, steps, trainSize, testSize, samplerSteps }");
  const seed = checkNumber(opts.seed, "opts.seed", fn, { integer: true, min: 0 });
  if (!Array.isArray(opts.ws) || opts.ws.length === 0) fail(fn, "opts.ws", "must be a non-empty array of guidance weights");
  opts.ws.forEach((w, i) => checkNumber(w, `opts.ws[${i}]`, fn, { min: 0 }));
  const steps = checkNumber(opts.steps, "opts.steps", fn, { integer: true, min: 1 });
  const trainSize = checkNumber(opts.trainSize, "opts.trainSize", fn, { integer: true, min: 2 });
  const testSize = checkNumber(opts.testSize, "opts.testSize", fn, { integer: true, min: 2 });
  const samplerSteps = checkNumber(opts.samplerSteps, "opts.samplerSteps", fn, { integer: true, min: 1 });
  checkLongWork(opts, fn);
  const sde = vpSDE();
  const data = new GaussianMixture(STUDY_DATA), model = new GaussianMixture(STUDY_MODEL);
  const modelScore = mixtureScore(sde, model).score;
  const rng = new Rng(1000 + seed);
  const real = data.sample(trainSize, rng.fork(1)), test = data.sample(testSize, rng.fork(2));
  const sample = (score: typeof modelScore, n: number, r: Rng) =>
    eulerMaruyama(score, sde, { n, steps: samplerSteps, rng: r, shape: [2], signal: opts.signal }) as Promise<tf.Tensor2D>;
  const rows: ResultRow[] = [];
  let fake: tf.Tensor2D | undefined;
  const disc = mlpDiscriminator(2, rng.fork(4), { width: 64, depth: 2 });
  try {
    // The discriminator sees the sampler's output, as in DG (not the model mixture's exact draws).
    fake = await sample(modelScore, trainSize, rng.fork(3));
    const tr = await trainDiscriminator(disc, real, fake, { steps, rng: rng.fork(5), sde, signal: opts.signal });
    if (tr.stopped) throw abortError(fn, 0, opts.ws.length, "guidance weight");
    for (const [k, w] of opts.ws.entries()) {
      if (opts.signal?.aborted) throw abortError(fn, k, opts.ws.length, "guidance weight");
      // The same noise for every w (rng.fork(6)): the weights are compared on common random numbers.
      const x = await sample(guidedScore(modelScore, disc, { w }), testSize, rng.fork(6));
      const run = { experiment: "guidance", model: "exact-score-0.8/0.2", dataset: STUDY_DATASET, seed, w };
      rows.push(
        { ...run, metric: "mode_weight_error", value: modeWeightError(x) },
        { ...run, metric: "sliced_w2", value: slicedWasserstein(x, test, { rng: rng.fork(7), projections: 32 }) },
      );
      x.dispose();
      opts.onStep?.({ step: k + 1, total: opts.ws.length, seed });
    }
  } finally { disc.dispose(); tf.dispose([real, test, fake]); }
  return rows;
}

/**
 * %refine: discriminator guidance of a notebook score model, or density-ratio refinement (SIR / rejection) of any
 * notebook generator, against a notebook data sample (src/refine/).
 */
import * as tf from "@tensorflow/tfjs";
import { isAbortError } from "../tensor";
import {
  type Discriminator, type Generator, drawFrom, guidedScore, mlpDiscriminator, refineGenerator, trainDiscriminator,
} from "../refine";
import type { SDE, ScoreFn, ScoreModel } from "../sde/types";
import { eulerMaruyama } from "../sample/euler-maruyama";
import { samplesFigure, trainingCurveFigure } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { figureBundle } from "./mime";
import { progressReporter } from "./progress";

export interface RefineMagicResult {
  /** "guidance" for a score model, "sir" or "rejection" for any other generator. */
  kind: "guidance" | "sir" | "rejection";
  /** Guidance: the guided score and its SDE (sampleable by any sampler). */
  score?: ScoreFn;
  sde?: SDE;
  w?: number;
  discriminator: Discriminator;
  /** Discriminator loss per step. */
  history: number[];
  /** Refined samples. */
  samples: tf.Tensor2D;
  ess?: number;
  acceptanceRate?: number;
  warnings: string[];
}

function isScoreModel(m: unknown): m is ScoreModel {
  return !!m && typeof m === "object" && typeof (m as ScoreModel).score === "function" && !!(m as ScoreModel).sde;
}

export const refineMagic = defineMagic<RefineMagicResult>({
  name: "refine",
  summary: "refine a model towards data: discriminator guidance (score models) or density-ratio SIR/rejection (any generator)",
  options: [
    { flags: "--model <name>", description: "notebook variable: a score model {sde, score}, a GaussianMixture, an object with sample(n, rng), or a function (n, rng) => samples", kind: "string" },
    { flags: "--data <name>", description: "notebook variable holding the data sample, a tensor [n, d]", kind: "string" },
    { flags: "--w <w>", description: "guidance weight (score models)", kind: "number", default: 1 },
    { flags: "--steps <k>", description: "discriminator training steps", kind: "positive-int", default: 500 },
    { flags: "--n <n>", description: "refined samples to draw", kind: "positive-int", default: 1000 },
    { flags: "--sampler-steps <k>", description: "Euler–Maruyama steps for score models", kind: "positive-int", default: 200 },
    { flags: "--method <m>", description: "for generators that are not score models: sir or rejection", kind: "string", default: "sir", choices: ["sir", "rejection"] },
  ],
  help: "Example: %refine --model m --data d --w 1.0 --as refined\nA score model gets a time-conditioned discriminator (data vs its own samples, both forward-diffused) and the guided score s + w grad log(d/(1-d)) (Kim et al. 2023); any other generator is reweighted by p/q = d/(1-d) (Husain, De Bortoli, Nock). Shows the discriminator's training curve and the refined samples.",
  async run({ opts }, ctx) {
    if (typeof opts.model !== "string") throw new MagicError("%refine: --model needs the notebook variable holding the model or generator");
    if (typeof opts.data !== "string") throw new MagicError("%refine: --data needs the notebook variable holding the data sample");
    if (!(opts.model in ctx.locals)) throw new MagicError(`%refine: no notebook variable '${opts.model}' (from --model)`);
    const model = ctx.locals[opts.model];
    const data = ctx.locals[opts.data];
    if (!(data instanceof tf.Tensor) || data.rank !== 2) throw new MagicError(`%refine: --data '${opts.data}' must name a tensor [n, d]`);
    const real = data as tf.Tensor2D;
    const d = real.shape[1];
    const steps = opts.steps as number, n = opts.n as number, samplerSteps = opts.samplerSteps as number;
    const bar = progressReporter((b, id, u) => ctx.display(b, id, u), "discriminator");
    const onStep = (p: { step: number; total: number; loss?: number }) => bar.report({ step: p.step, total: p.total, loss: p.loss });
    let result: RefineMagicResult;
    if (isScoreModel(model)) {
      const w = opts.w as number;
      const fake = await drawFrom(model, real.shape[0], ctx.rng.fork(1), d, { steps: samplerSteps, signal: ctx.signal });
      const disc = mlpDiscriminator(d, ctx.rng.fork(2), { T: model.sde.T });
      let tr;
      try {
        tr = await trainDiscriminator(disc, real, fake, { steps, rng: ctx.rng.fork(3), sde: model.sde, onStep, every: 10, signal: ctx.signal });
      } catch (e) { disc.dispose(); throw e; } finally { fake.dispose(); }
      bar.done(tr.stopped ? `interrupted at step ${tr.steps} of ${steps}` : "");
      const score = guidedScore(model.score, disc, { w });
      const samples = (await eulerMaruyama(score, model.sde, { n, steps: samplerSteps, rng: ctx.rng.fork(4), shape: [d], signal: ctx.signal })) as tf.Tensor2D;
      result = { kind: "guidance", score, sde: model.sde, w, discriminator: disc, history: tr.history, samples, warnings: [] };
      ctx.print(`trained a time-conditioned discriminator for ${tr.steps} steps on ${real.shape[0]} data vs ${real.shape[0]} model samples; guided score with w = ${w}`);
    } else {
      let r: Awaited<ReturnType<typeof refineGenerator>>;
      try {
        r = await refineGenerator(model as Generator, real, { rng: ctx.rng.fork(5), method: opts.method as "sir" | "rejection", n, steps, onStep, signal: ctx.signal, samplerSteps });
      } catch (e) {
        // A refined law from a half-trained discriminator is not a result (long-work contract): say so in one line.
        if (!isAbortError(e)) throw e;
        bar.done("interrupted");
        throw new MagicError("%refine: interrupted; no refined sample kept (the model and variables are unchanged)");
      }
      bar.done();
      r.pool.dispose();
      result = { kind: opts.method as "sir" | "rejection", discriminator: r.discriminator, history: r.history, samples: r.x, ess: r.ess, acceptanceRate: r.acceptanceRate, warnings: r.warnings };
      ctx.print(`refined by ${opts.method}: ${r.x.shape[0]} samples, effective sample size ${r.ess.toFixed(1)} (${(100 * r.essFraction).toFixed(1)}% of the pool)` +
        (r.acceptanceRate !== undefined ? `, acceptance rate ${(100 * r.acceptanceRate).toFixed(1)}%` : ""));
    }
    for (const w of result.warnings) ctx.print(`warning: ${w}`);
    ctx.display(figureBundle(trainingCurveFigure(result.history, { title: "Discriminator loss", yLabel: "BCE" })));
    if (d === 2 && result.samples.shape[0] > 0) ctx.display(figureBundle(samplesFigure(result.samples, { reference: real, title: "Refined samples (data as reference)" })));
    return result;
  },
});

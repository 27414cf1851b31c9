/**
 * The generalization study's seed as a sweep trial ("generalization.seed"): one seed at one n, two training sets,
 * every generator (seed-run.ts). generalizationStudy({ executor: "local" }) runs its seeds through it. Only types
 * are imported at the top, so a worker that never runs this trial never loads the library.
 */
import type { TrialDefinition } from "../sweep/trial";
import type { SeedRunOptions } from "./seed-run";

export const GENERALIZATION_SEED_TRIAL: TrialDefinition = {
  params: ["n", "models", "steps", "valSize", "evalEvery", "patience", "samples", "testSize", "samplerSteps", "width", "depth", "denoiseLast"],
  description: "one seed of the generalization study (Yi et al. 2023) at one training-set size n: two training sets, every generator, mutual information against the fresh-data null",
  async run(p, ctx) {
    const { initBackend } = await import("../tensor");
    await initBackend();
    const { generalizationSeed, defaultSizes } = await import("./seed-run");
    return generalizationSeed({ ...defaultSizes(false), ...(p as Partial<SeedRunOptions>), n: p.n as number, seed: ctx.seed, signal: ctx.signal, onStep: ctx.onStep });
  },
};

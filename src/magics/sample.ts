/**
 * %sample: draws samples from a score model with one of src/sample's samplers, with a progress bar, and shows
 * them inline (a scatter over the model's training data for 2-D models, an image grid for images).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, isAbortError } from "../tensor";
import { isSDE, type GridSpec, type SDE, type ScoreFn } from "../sde";
import { GRID_NAMES, SAMPLERS, SAMPLER_NAMES, type SamplerName } from "../sample";
import { toMimeBundle } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { progressReporter } from "./progress";
import { notebookValue, typeName } from "./notebook-vars";
import { figureOf, isImageTensor } from "./figure-of";
import { ScoreNet } from "../score";
import { cfgScore, classScore } from "../guidance";

/** The score %sample draws with: the model's, its class-conditional score, or classifier-free guidance towards a class. */
function scoreOf(model: SampleableModel, name: string, label: number | undefined, w: number | undefined): ScoreFn {
  if (label === undefined) return model.score;
  if (!(model instanceof ScoreNet)) throw new MagicError(`%sample: --label needs a class-conditional ScoreNet, and '${name}' is ${typeName(model)}`);
  try {
    return w === undefined || w === 0 ? classScore(model, label) : cfgScore(model, label, { scale: w });
  } catch (e) {
    throw new MagicError(`%sample: ${(e as Error).message}`);
  }
}

interface SampleableModel { sde: SDE; score: ScoreFn; shape?: number[]; training?: { data?: tf.Tensor } }

export const sampleMagic = defineMagic<tf.Tensor>({
  name: "sample",
  summary: "sample a score model with any sampler (em, heun, pc, ddim, edm, euler_a, ddpm, dpmpp_2m, ...) on any noise grid, with a progress bar",
  options: [
    { flags: "--model <var>", description: "notebook variable holding a score model (from %train_score, or with .sde, .score and .shape)" },
    { flags: "--n <n>", description: "number of samples", kind: "positive-int", default: 1000 },
    { flags: "--steps <k>", description: "sampler steps", kind: "positive-int", default: 500 },
    { flags: "--sampler <name>", description: SAMPLER_NAMES.map((k) => `${k}: ${SAMPLERS[k].label}${SAMPLERS[k].vpOnly ? " (VP only)" : ""}`).join("; "), default: "em", choices: SAMPLER_NAMES },
    { flags: "--grid <rule>", description: "noise grid: uniform in t, karras (sigma^(1/rho) uniform), logsnr (uniform log-SNR)", default: "uniform", choices: [...GRID_NAMES] },
    { flags: "--rho <rho>", description: "rho of the karras grid", kind: "number", default: 7 },
    { flags: "--seed <s>", description: "seed (default: drawn from the session rng)", kind: "int" },
    { flags: "--label <c>", description: "class of a class-conditional model (trained with labels); every sample asks for it", kind: "int" },
    { flags: "--guidance <w>", description: "classifier-free guidance scale w with --label: (1 + w) s(x | c) - w s(x) (Ho & Salimans 2022)", kind: "number" },
    { flags: "--no-plot", description: "do not show the samples" },
  ],
  help: "Example: %sample --model model --n 2000 --steps 500 --sampler heun --as x\n" +
    "Example: %sample --model model --sampler dpmpp_2m --grid karras --steps 20 --as x\nThe result is a tensor [n, ...shape]; an interrupt stops sampling and keeps no sample.",
  async run({ opts }, ctx) {
    const name = typeof opts.model === "string" ? opts.model : "(value)";
    const model = notebookValue(ctx, "sample", "--model", opts.model) as SampleableModel;
    if (model === null || typeof model !== "object" || typeof model.score !== "function" || !isSDE(model.sde)) {
      throw new MagicError(`%sample: --model '${name}' must be a score model (from %train_score), got ${typeName(model)}`);
    }
    const shape = Array.isArray(model.shape) ? model.shape : undefined;
    if (!shape) throw new MagicError(`%sample: --model '${name}' has no sample shape (.shape); train it with %train_score or set model.shape`);
    if (opts.guidance !== undefined && opts.label === undefined) throw new MagicError("%sample: --guidance needs --label (the class to guide towards)");
    const n = opts.n as number;
    const steps = opts.steps as number;
    const sampler = SAMPLERS[opts.sampler as SamplerName];
    if (!((opts.rho as number) > 0)) throw new MagicError(`%sample: --rho must be > 0, got ${opts.rho}`);
    const grid: GridSpec = opts.grid === "karras" ? { kind: "karras", rho: opts.rho as number } : opts.grid as GridSpec;
    const rng = opts.seed !== undefined ? new Rng(opts.seed as number) : ctx.rng.split();
    const bar = progressReporter(ctx.display, "%sample");
    let x: tf.Tensor;
    try {
      x = await sampler.run(scoreOf(model, name, opts.label as number | undefined, opts.guidance as number | undefined), model.sde, { n, steps, rng, shape, grid, signal: ctx.signal, onStep: (p) => bar.report({ step: p.step, total: steps }) });
    } catch (e) {
      if (isAbortError(e)) {
        const at = bar.last()?.step ?? 0;
        bar.done(`interrupted at step ${at} of ${steps}`);
        throw new MagicError(`%sample: interrupted at step ${at} of ${steps}; no sample kept (the model and variables are unchanged)`);
      }
      bar.done("failed");
      throw e;
    }
    bar.done();
    ctx.print(`${n} samples of shape [${shape}] from ${name} by ${sampler.label}, ${steps} steps on the ${opts.grid} grid`);
    if (opts.plot !== false) {
      const title = `${n} samples, ${opts.sampler}, ${steps} steps`;
      if (x.rank === 2 && x.shape[1] === 2) ctx.display(toMimeBundle(figureOf(x, "scatter", { title, training: model.training?.data }, "sample", "the samples")));
      else if (isImageTensor(x)) ctx.display(toMimeBundle(figureOf(x, "images", { title }, "sample", "the samples")));
    }
    return x;
  },
});

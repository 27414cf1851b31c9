/**
 * %gengap: the DSM generalization gap of a score model, held-out minus training loss per noise level, drawn
 * inline (generalization/gap.ts). Optionally the log-likelihood gap through the probability-flow ODE.
 */
import * as tf from "@tensorflow/tfjs";
import { defineMagic, MagicError } from "./spec";
import { figureBundle } from "./mime";
import { lineFigure } from "../plot/curves";
import { dsmGap, likelihoodGap, type DsmGap } from "../generalization";
import type { SDE, ScoreFn } from "../sde/types";

function local(locals: Record<string, unknown>, name: unknown, flag: string): unknown {
  if (typeof name !== "string" || !name) throw new MagicError(`%gengap: --${flag} needs the name of a notebook variable`);
  if (!Object.prototype.hasOwnProperty.call(locals, name)) throw new MagicError(`%gengap: --${flag} '${name}' is not a notebook variable`);
  return locals[name];
}

function tensorOf(v: unknown, name: string, flag: string): tf.Tensor {
  const t = v instanceof tf.Tensor ? v : v && typeof v === "object" && (v as { x?: unknown }).x instanceof tf.Tensor ? (v as { x: tf.Tensor }).x : undefined;
  if (!t) throw new MagicError(`%gengap: --${flag} '${name}' must be a tensor [n, ...] (or a dataset with .x)`);
  return t;
}

export const gengapMagic = defineMagic<DsmGap & { likelihood?: { train: number; test: number; gap: number } }>({
  name: "gengap",
  summary: "DSM loss on training vs held-out data per noise level (the generalization gap), drawn inline",
  options: [
    { flags: "--model <name>", description: "notebook variable holding a score model (with .sde and .score)" },
    { flags: "--train <name>", description: "notebook variable with the training data [n, ...]" },
    { flags: "--test <name>", description: "notebook variable with held-out data [m, ...]" },
    { flags: "--bins <k>", description: "noise-level bins over [tMin, T]", kind: "positive-int", default: 10 },
    { flags: "--repeats <r>", description: "noise draws per row and bin", kind: "positive-int", default: 4 },
    { flags: "--likelihood", description: "also the log-likelihood gap through the probability-flow ODE (slower)" },
  ],
  help: "Example: %gengap --model net --train xtrain --test xtest --bins 8 --as gap",
  async run({ opts }, ctx) {
    const model = local(ctx.locals, opts.model, "model") as { sde?: SDE; score?: ScoreFn };
    if (!model || typeof model.score !== "function" || !model.sde) throw new MagicError(`%gengap: --model '${String(opts.model)}' must be a score model with .sde and .score`);
    const train = tensorOf(local(ctx.locals, opts.train, "train"), String(opts.train), "train");
    const test = tensorOf(local(ctx.locals, opts.test, "test"), String(opts.test), "test");
    const g = dsmGap(model.score, model.sde, train, test, { bins: opts.bins as number, repeats: opts.repeats as number, rng: ctx.rng.fork(0x6e9) });
    ctx.display(figureBundle(lineFigure(g.t, [{ name: "training", y: g.train }, { name: "held-out", y: g.test, dash: "dash" }, { name: "gap", y: g.gap, dash: "dot" }],
      { title: "DSM loss by noise level", xLabel: "t (diffusion time)", yLabel: "DSM loss (per coordinate)" })));
    ctx.print(`mean DSM loss: training ${g.meanTrain.toFixed(4)}, held-out ${g.meanTest.toFixed(4)}, gap ${g.meanGap.toFixed(4)}`);
    if (!opts.likelihood) return g;
    const lg = await likelihoodGap(model.score, model.sde, train, test, { signal: ctx.signal });
    ctx.print(`mean log-likelihood: training ${lg.train.toFixed(3)}, held-out ${lg.test.toFixed(3)} nats, gap ${lg.gap.toFixed(3)} nats`);
    return { ...g, likelihood: { train: lg.train, test: lg.test, gap: lg.gap } };
  },
});

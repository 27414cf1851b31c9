/** %fuse: KL-barycenter fusion of notebook score models on a notebook target sample (src/fusion/fuse.ts). */
import * as tf from "@tensorflow/tfjs";
import { fuse, type Auxiliary, type FusedModel } from "../fusion";
import { fusionWeightsFigure } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { figureBundle } from "./mime";

export const fuseMagic = defineMagic<FusedModel>({
  name: "fuse",
  summary: "learn KL-barycenter weights of score models on a target sample (ScoreFusion)",
  options: [
    { flags: "--models <names>", description: "comma-separated notebook variables holding score models (or score functions with --sde)", kind: "string" },
    { flags: "--data <name>", description: "notebook variable holding the target sample, a tensor [n, ...dims]", kind: "string" },
    { flags: "--sde <name>", description: "notebook variable holding the SDE (needed for plain score functions)", kind: "string" },
    { flags: "--method <m>", description: "qp (exact), adam (softmax logits) or both", kind: "string", default: "qp", choices: ["qp", "adam", "both"] },
    { flags: "--samples <m>", description: "Monte Carlo pool of (x0, t, eps)", kind: "positive-int", default: 4096 },
    { flags: "--t-min <t>", description: "lowest t of the fusion loss (default the SDE's tMin)", kind: "number" },
    { flags: "--t-max <t>", description: "highest t of the fusion loss (default the SDE's T)", kind: "number" },
  ],
  help: "Example: %fuse --models a,b --data target --as fused\nShows the learned weights and the DSM loss of the fused score and of each model alone; the result is a FusedModel (score, sde, weights), sampleable by any sampler.",
  async run({ opts }, ctx) {
    const names = typeof opts.models === "string" ? opts.models.split(",").map((s) => s.trim()).filter(Boolean) : [];
    if (names.length === 0) throw new MagicError("%fuse: --models needs a comma-separated list of notebook variables, e.g. --models a,b");
    if (typeof opts.data !== "string") throw new MagicError("%fuse: --data needs the notebook variable holding the target sample");
    const models = names.map((n) => {
      if (!(n in ctx.locals)) throw new MagicError(`%fuse: no notebook variable '${n}' (from --models)`);
      return ctx.locals[n] as Auxiliary;
    });
    const data = ctx.locals[opts.data];
    if (!(data instanceof tf.Tensor)) throw new MagicError(`%fuse: --data '${opts.data}' must name a tensor [n, ...dims]`);
    const sde = typeof opts.sde === "string" ? (ctx.locals[opts.sde] as never) : undefined;
    if (typeof opts.sde === "string" && sde === undefined) throw new MagicError(`%fuse: no notebook variable '${opts.sde}' (from --sde)`);
    const first = models.find((m) => typeof m !== "function") as { sde?: { tMin: number; T: number } } | undefined;
    const base = (sde as { tMin: number; T: number } | undefined) ?? first?.sde;
    const tRange: [number, number] | undefined = base && (opts.tMin !== undefined || opts.tMax !== undefined)
      ? [(opts.tMin as number | undefined) ?? base.tMin, (opts.tMax as number | undefined) ?? base.T] : undefined;
    const fused = await fuse(models, data, {
      sde, rng: ctx.rng, method: opts.method as "qp" | "adam" | "both", samples: opts.samples as number, tRange, names, signal: ctx.signal,
    });
    const d = fused.diagnostics;
    const lines = [
      `fused ${names.length} models (${fused.method}) on ${data.shape[0]} target points, t in [${d.tRange[0]}, ${d.tRange[1]}], ${d.samples} pool samples`,
      ...names.map((n, k) => `  ${n}: weight ${fused.weights[k].toFixed(4)}   DSM loss alone ${d.lossPerModel[k].toPrecision(5)}`),
      `  fused DSM loss ${fused.loss.toPrecision(5)}` + (d.agreement !== undefined ? `   (QP vs Adam max weight difference ${d.agreement.toExponential(2)})` : ""),
      ...(fused.stopped ? ["  interrupted: the weights are those the Adam fit reached"] : []),
    ];
    ctx.print(lines.join("\n"));
    ctx.display(figureBundle(fusionWeightsFigure(names, fused.weights)));
    return fused;
  },
});

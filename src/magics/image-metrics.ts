/**
 * %image_metrics: FD and KID of generated images against reference images on a classifier's features
 * (metrics/features.ts, frechet.ts, kid.ts), printed with n, the reference set and the extractor.
 */
import * as tf from "@tensorflow/tfjs";
import { defineMagic, MagicError } from "./spec";
import { featureExtractor, imageMetrics, type FeatureDataset, type ImageMetricsReport } from "../metrics";

function images(locals: Record<string, unknown>, name: unknown, flag: string): tf.Tensor {
  if (typeof name !== "string" || !name) throw new MagicError(`%image_metrics: --${flag} needs the name of a notebook variable`);
  if (!Object.prototype.hasOwnProperty.call(locals, name)) throw new MagicError(`%image_metrics: --${flag} '${name}' is not a notebook variable`);
  const v = locals[name];
  const t = v instanceof tf.Tensor ? v : v && typeof v === "object" && (v as { x?: unknown }).x instanceof tf.Tensor ? (v as { x: tf.Tensor }).x : undefined;
  if (!t) throw new MagicError(`%image_metrics: --${flag} '${name}' must be images [n, ...] (a tensor, or a dataset with .x)`);
  return t;
}

export const imageMetricsMagic = defineMagic<ImageMetricsReport>({
  name: "image_metrics",
  summary: "FD and unbiased KID of images against reference images on a small classifier's features, with n and the reference",
  options: [
    { flags: "--samples <name>", description: "notebook variable with the generated images [n, ...], pixels in [-1, 1]" },
    { flags: "--reference <name>", description: "notebook variable with the reference images [m, ...] (or a dataset)" },
    { flags: "--features <set>", description: "the classifier's data set: fashion-mnist or digits", default: "fashion-mnist" },
    { flags: "--steps <k>", description: "training steps of the classifier (default: the extractor's; it is cached)", kind: "positive-int" },
    { flags: "--reference-name <text>", description: "how the report names the reference set (default: the variable and its size)" },
  ],
  help: "Images are as many pixels per row as the extractor's size (8x8 digits; 28x28, 14x14 or 7x7 Fashion-MNIST, read from the rows).\nExample: %image_metrics --samples x --reference heldout --features fashion-mnist --as r",
  async run({ opts }, ctx) {
    const x = images(ctx.locals, opts.samples, "samples");
    const ref = images(ctx.locals, opts.reference, "reference");
    const set = opts.features as string;
    if (set !== "fashion-mnist" && set !== "digits") throw new MagicError(`%image_metrics: --features must be fashion-mnist or digits, got '${set}'`);
    const side = Math.round(Math.sqrt(x.size / Math.max(x.shape[0], 1)));
    const fx = await featureExtractor(set as FeatureDataset, { size: side, ...(opts.steps ? { steps: opts.steps as number } : {}), signal: ctx.signal });
    try {
      const r = imageMetrics(fx, x, ref, { reference: (opts.referenceName as string | undefined) ?? `${String(opts.reference)} (${ref.shape[0]} images)` });
      ctx.print(`FD ${r.fd.toFixed(4)}, KID ${r.kid.toFixed(4)}: n = ${r.n} images against ${r.reference}; features of ${r.extractor}`);
      return r;
    } finally { fx.dispose(); }
  },
});

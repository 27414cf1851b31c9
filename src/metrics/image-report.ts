/**
 * FD and KID of generated images against a reference set, on a named feature extractor, with the sample sizes:
 * the three things a reader needs to compare two reported numbers (Heusel et al. 2017; Binkowski et al. 2018).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, fail } from "../tensor";
import type { FeatureExtractor } from "./features";
import { frechetDistance } from "./frechet";
import { kid } from "./kid";

export interface ImageMetricsOptions {
  /** Names the reference set in the report, e.g. "fashion-mnist test split, 1000 images" (required). */
  reference: string;
  /** KID subsets: rows per subset and how many (default: one estimate on the full sets). */
  kidSubsetSize?: number;
  kidSubsets?: number;
  rng?: Rng;
}

export interface ImageMetricsReport {
  fd: number;
  kid: number;
  /** Std of KID over subsets (0 with one estimate). */
  kidStd: number;
  /** Generated and reference images. */
  n: number;
  nReference: number;
  reference: string;
  extractor: string;
}

/**
 * FD and unbiased KID between generated images and reference images on the features of `extractor`.
 * @example const r = imageMetrics(fx, samples, heldOut, { reference: "fashion-mnist test, 1000" }); r.fd, r.kid, r.n
 */
export function imageMetrics(extractor: FeatureExtractor, images: tf.Tensor, reference: tf.Tensor, opts: ImageMetricsOptions): ImageMetricsReport {
  const fn = "imageMetrics";
  if (!extractor || typeof extractor.features !== "function" || typeof extractor.name !== "string") fail(fn, "extractor", "must be a FeatureExtractor (await featureExtractor(...))");
  if (!opts || typeof opts.reference !== "string" || opts.reference === "") fail(fn, "opts.reference", "must name the reference set (a non-empty string), so the result says what it was measured against");
  const fx = extractor.features(images);
  const fr = extractor.features(reference);
  try {
    const k = kid(fx, fr, opts.kidSubsetSize === undefined ? {} : { subsetSize: opts.kidSubsetSize, subsets: opts.kidSubsets, rng: opts.rng });
    return { fd: frechetDistance(fx, fr), kid: k.value, kidStd: k.std, n: fx.shape[0], nReference: fr.shape[0], reference: opts.reference, extractor: extractor.name };
  } finally { fx.dispose(); fr.dispose(); }
}

/**
 * Labelled uint8 image sets held in plain arrays until the last step, so that class filters and subsamples of a
 * 60,000-image file cost index work, not tensor work.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail } from "../tensor";

/** n grey images of height x width, row-major, values 0..maxValue. */
export interface ImageSet {
  images: Uint8Array;
  labels: Int32Array;
  n: number;
  height: number;
  width: number;
  maxValue: number;
  classNames?: string[];
}

/** How pixels become floats: "symmetric" [-1, 1] (the usual range for diffusion models), "unit" [0, 1], "raw". */
export type PixelScale = "symmetric" | "unit" | "raw";

/** Indices of the chosen rows, as a new set. */
export function selectImages(set: ImageSet, idx: ArrayLike<number>): ImageSet {
  const size = set.height * set.width;
  const images = new Uint8Array(idx.length * size);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    images.set(set.images.subarray(idx[i] * size, (idx[i] + 1) * size), i * size);
    labels[i] = set.labels[idx[i]];
  }
  return { ...set, images, labels, n: idx.length };
}

/**
 * Keeps the images whose label is in `classes`.
 * @example const sevensAndNines = filterImageClasses(set, [7, 9]);
 */
export function filterImageClasses(set: ImageSet, classes: number[], fn = "filterImageClasses"): ImageSet {
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => !Number.isInteger(c))) {
    fail(fn, "classes", `must be a non-empty array of integer labels, got ${JSON.stringify(classes)}`);
  }
  const want = new Set(classes);
  const idx: number[] = [];
  for (let i = 0; i < set.n; i++) if (want.has(set.labels[i])) idx.push(i);
  if (idx.length === 0) fail(fn, "classes", `selects no images: labels present are ${[...new Set(set.labels)].sort((a, b) => a - b).join(", ")}`);
  return selectImages(set, idx);
}

/**
 * A seeded random subset of n images (without replacement, in random order).
 * @example const small = subsampleImages(set, 500, new Rng(0));
 */
export function subsampleImages(set: ImageSet, n: number, rng: Rng, fn = "subsampleImages"): ImageSet {
  checkNumber(n, "n", fn, { integer: true, min: 1 });
  if (n > set.n) fail(fn, "n", `is ${n}, larger than the ${set.n} images available`);
  return selectImages(set, rng.permutation(set.n).subarray(0, n));
}

/**
 * The images as a float tensor, [n, 1, height, width] or [n, height * width] when flat.
 * @example const x = imageSetToTensor(set, { scale: "symmetric" }); // values in [-1, 1]
 */
export function imageSetToTensor(set: ImageSet, opts: { scale?: PixelScale; flatten?: boolean } = {}): tf.Tensor {
  const scale = opts.scale ?? "symmetric";
  if (!["symmetric", "unit", "raw"].includes(scale)) fail("imageSetToTensor", "scale", `must be "symmetric", "unit" or "raw", got ${String(scale)}`);
  const out = new Float32Array(set.images.length);
  const m = set.maxValue;
  const [mul, add] = scale === "symmetric" ? [2 / m, -1] : scale === "unit" ? [1 / m, 0] : [1, 0];
  for (let i = 0; i < out.length; i++) out[i] = set.images[i] * mul + add;
  const shape = opts.flatten ? [set.n, set.height * set.width] : [set.n, 1, set.height, set.width];
  return tf.tensor(out, shape, "float32");
}

/**
 * Tensor-level data utilities: seeded splits and subsamples, class filters, pixel scaling, flattening.
 * Rows are the first axis; labels, where given, are an Int32Array with one entry per row.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkTensor, fail } from "../tensor";

export interface Labelled {
  x: tf.Tensor;
  labels?: Int32Array;
}

function checkLabelled(x: tf.Tensor, labels: Int32Array | undefined, fn: string): number {
  checkTensor(x, "x", fn);
  if (x.rank < 1) fail(fn, "x", "must have a row axis (rank >= 1)");
  const n = x.shape[0];
  if (labels !== undefined && (!(labels instanceof Int32Array) || labels.length !== n)) {
    fail(fn, "labels", `must be an Int32Array with one label per row (${n}), got length ${(labels as { length?: number })?.length}`);
  }
  return n;
}

function takeRows(x: tf.Tensor, labels: Int32Array | undefined, idx: Int32Array): Labelled {
  const x2 = tf.tidy(() => tf.gather(x, tf.tensor1d(idx, "int32")));
  return labels ? { x: x2, labels: Int32Array.from(idx, (i) => labels[i]) } : { x: x2 };
}

/**
 * A seeded random split into train and test parts; the test part has round(testFraction * n) rows.
 * @example const { train, test } = trainTestSplit(x, labels, { testFraction: 0.2, rng: new Rng(0) });
 */
export function trainTestSplit(x: tf.Tensor, labels: Int32Array | undefined, opts: { testFraction?: number; rng: Rng }): { train: Labelled; test: Labelled } {
  const fn = "trainTestSplit";
  const n = checkLabelled(x, labels, fn);
  const frac = checkNumber(opts?.testFraction ?? 0.2, "testFraction", fn, { gt: 0, lt: 1 });
  if (!(opts?.rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
  const nTest = Math.round(frac * n);
  if (nTest === 0 || nTest === n) fail(fn, "testFraction", `${frac} of ${n} rows leaves an empty part`);
  const perm = opts.rng.permutation(n);
  return { test: takeRows(x, labels, perm.slice(0, nTest)), train: takeRows(x, labels, perm.slice(nTest)) };
}

/**
 * n rows drawn at random without replacement (seeded); an error if n exceeds the rows available.
 * @example const small = subsample(x, labels, 256, new Rng(1));
 */
export function subsample(x: tf.Tensor, labels: Int32Array | undefined, n: number, rng: Rng): Labelled {
  const fn = "subsample";
  const size = checkLabelled(x, labels, fn);
  checkNumber(n, "n", fn, { integer: true, min: 1 });
  if (n > size) fail(fn, "n", `is ${n}, larger than the ${size} rows available`);
  if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
  return takeRows(x, labels, rng.permutation(size).slice(0, n));
}

/**
 * The rows whose label is one of `classes`, in their original order.
 * @example const { x: sevens } = filterClasses(x, labels, [7]);
 */
export function filterClasses(x: tf.Tensor, labels: Int32Array, classes: number[]): Labelled & { labels: Int32Array } {
  const fn = "filterClasses";
  if (labels === undefined) fail(fn, "labels", "are required to filter by class");
  checkLabelled(x, labels, fn);
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => !Number.isInteger(c))) {
    fail(fn, "classes", `must be a non-empty array of integer labels, got ${JSON.stringify(classes)}`);
  }
  const want = new Set(classes);
  const idx: number[] = [];
  labels.forEach((l, i) => { if (want.has(l)) idx.push(i); });
  if (idx.length === 0) fail(fn, "classes", `selects no rows: labels present are ${[...new Set(labels)].sort((a, b) => a - b).join(", ")}`);
  return takeRows(x, labels, Int32Array.from(idx)) as Labelled & { labels: Int32Array };
}

/**
 * Pixels in [0, maxValue] to [-1, 1] (the range diffusion models are trained on).
 * @example const y = pixelsToSymmetric(x, 255);
 */
export function pixelsToSymmetric(x: tf.Tensor, maxValue = 255): tf.Tensor {
  checkTensor(x, "x", "pixelsToSymmetric");
  checkNumber(maxValue, "maxValue", "pixelsToSymmetric", { gt: 0 });
  return tf.tidy(() => tf.sub(tf.mul(x.toFloat(), 2 / maxValue), 1));
}

/**
 * Values in [-1, 1] back to pixels in [0, maxValue], clipped (samples overshoot the range).
 * @example const pixels = symmetricToPixels(samples, 255);
 */
export function symmetricToPixels(x: tf.Tensor, maxValue = 255): tf.Tensor {
  checkTensor(x, "x", "symmetricToPixels");
  checkNumber(maxValue, "maxValue", "symmetricToPixels", { gt: 0 });
  return tf.tidy(() => tf.clipByValue(tf.mul(tf.add(x.toFloat(), 1), maxValue / 2), 0, maxValue));
}

/**
 * Images [n, ...] to rows [n, prod(...)].
 * @example flattenImages(x) // [n, 1, 8, 8] -> [n, 64]
 */
export function flattenImages(x: tf.Tensor): tf.Tensor2D {
  checkTensor(x, "x", "flattenImages");
  if (x.rank < 2) fail("flattenImages", "x", `must have rank >= 2 ([n, ...]), got shape [${x.shape}]`);
  return x.reshape([x.shape[0], x.size / Math.max(1, x.shape[0])]) as tf.Tensor2D;
}

/**
 * Rows [n, D] back to images [n, ...shape] with prod(shape) = D.
 * @example unflattenImages(x, [1, 8, 8]) // [n, 64] -> [n, 1, 8, 8]
 */
export function unflattenImages(x: tf.Tensor, shape: number[]): tf.Tensor {
  const fn = "unflattenImages";
  checkTensor(x, "x", fn);
  if (x.rank !== 2) fail(fn, "x", `must have rank 2 ([n, D]), got shape [${x.shape}]`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(fn, "shape", `must be positive integers, got ${JSON.stringify(shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== x.shape[1]) fail(fn, "shape", `[${shape}] holds ${size} values but rows have ${x.shape[1]}`);
  return x.reshape([x.shape[0], ...shape]);
}

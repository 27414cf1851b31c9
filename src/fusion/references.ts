/**
 * Null levels the fusion studies' claims are measured against, computed in the same run on the same held-out data
 * (issue 23): a uniform density over the pixel levels and a per-pixel histogram (two densities any image model must
 * beat to have learned anything beyond the marginals).
 */
import { checkNumber, fail } from "../tensor";

/**
 * Bits per dimension of the uniform density over `levels` values: log2(levels) (17 for the 8x8 digits: 4.087).
 * @example uniformBitsPerDim(17) // 4.0875
 */
export function uniformBitsPerDim(levels: number): number {
  return Math.log2(checkNumber(levels, "levels", "uniformBitsPerDim", { integer: true, min: 2 }));
}

export interface HistogramOptions {
  /** Pixel values are integers in [0, levels) (default 17, the 8x8 digits). */
  levels?: number;
  /** Pseudo-count per bin (default 1/2, the Krichevsky–Trofimov estimator): an unseen level is not infinitely costly. */
  alpha?: number;
}

/**
 * Held-out bits/dim of a product of per-pixel histograms fitted on `train` (Krichevsky & Trofimov 1981: add-alpha
 * estimate p_j(v) = (count_j(v) + alpha) / (n + alpha * levels)). Exact discrete bits (no dequantization): mean over
 * test images and pixels of -log2 p_j(x_j).
 * @example histogramBitsPerDim([[0, 1]], [[0, 1]], { levels: 2 }) // -log2(1.5 / 2) = 0.415
 */
export function histogramBitsPerDim(train: ArrayLike<number>[], test: ArrayLike<number>[], opts: HistogramOptions = {}): number {
  const fn = "histogramBitsPerDim";
  const levels = checkNumber(opts.levels ?? 17, "opts.levels", fn, { integer: true, min: 2 });
  const alpha = checkNumber(opts.alpha ?? 0.5, "opts.alpha", fn, { gt: 0 });
  if (!Array.isArray(train) || train.length === 0) fail(fn, "train", "must be a non-empty array of images (rows of pixel levels)");
  if (!Array.isArray(test) || test.length === 0) fail(fn, "test", "must be a non-empty array of images (rows of pixel levels)");
  const d = train[0].length;
  const checkRows = (rows: ArrayLike<number>[], arg: string) => rows.forEach((r, i) => {
    if (!r || r.length !== d) fail(fn, `${arg}[${i}]`, `must hold ${d} pixels like ${arg === "train" ? "train[0]" : "the training images"}, got ${r?.length}`);
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (!Number.isInteger(v) || v < 0 || v >= levels) fail(fn, `${arg}[${i}][${j}]`, `must be an integer level in [0, ${levels}), got ${v}`);
    }
  });
  checkRows(train, "train");
  checkRows(test, "test");
  const counts = new Float64Array(d * levels);
  for (const r of train) for (let j = 0; j < d; j++) counts[j * levels + r[j]]++;
  const denom = train.length + alpha * levels;
  let bits = 0;
  for (const r of test) for (let j = 0; j < d; j++) bits -= Math.log2((counts[j * levels + r[j]] + alpha) / denom);
  return bits / (test.length * d);
}

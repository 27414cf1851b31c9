/**
 * Class labels for conditional networks. A class-conditional network keeps a learned table of classes + 1 label
 * vectors added to its noise embedding (as EDM's class embedding, Karras et al. 2022, Appendix F.2, and the
 * class-conditional models of Ho & Salimans 2022); row `classes` is the null label, the unconditional model
 * trained by conditioning dropout for classifier-free guidance (Ho & Salimans 2022, Algorithm 1).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";

/** What a label argument may be: one class for every row, one per row, or null for the unconditional model. */
export type Labels = number | ArrayLike<number> | tf.Tensor | null;

/** Validates an optional number of classes (an integer >= 1). @example checkClasses(opts.classes, "mlpConfig"); */
export function checkClasses(v: unknown, fn: string, name = "opts.classes"): number | undefined {
  return v === undefined ? undefined : checkNumber(v, name, fn, { integer: true, min: 1 });
}

/**
 * The labels of n rows as an int32 tensor [n] with values in [0, classes] (classes = the null label), checked:
 * a class label must be an integer in [0, classes). The caller owns the tensor.
 * @example const y = labelTensor(3, 128, 10, "classScore", "label"); // 128 threes
 */
export function labelTensor(labels: Labels, n: number, classes: number, fn: string, name: string): tf.Tensor1D {
  const range = `an integer class in [0, ${classes}) or null (unconditional)`;
  if (labels === null) return tf.fill([n], classes, "int32") as tf.Tensor1D;
  if (typeof labels === "number") {
    if (!Number.isInteger(labels) || labels < 0 || labels >= classes) fail(fn, name, `must be ${range}, got ${labels}`);
    return tf.fill([n], labels, "int32") as tf.Tensor1D;
  }
  const values = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (labels instanceof tf.Tensor ? labels.rank !== 1 || labels.shape[0] !== n : values?.length !== n) fail(fn, name, `must be one label per row (${n}), or one label for all`);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // The null label may appear per row: conditioning dropout writes it.
    if (!Number.isInteger(v) || v < 0 || v > classes) fail(fn, `${name}[${i}]`, `must be ${range} (or ${classes}, the null label), got ${v}`);
  }
  return tf.tensor1d(Array.from(values as ArrayLike<number>), "int32");
}

/**
 * emb + table[labels] (labels [n] int32; the null label when omitted), for a network's noise embedding [n, dim].
 * Call inside tf.tidy. @example h = withLabels(embedTime(cfg, c), w[k], labels);
 */
export function withLabels(emb: tf.Tensor2D, table: tf.Tensor, labels?: tf.Tensor): tf.Tensor2D {
  const k = table.shape[0];
  const rows = labels ?? tf.fill([emb.shape[0]], k - 1, "int32");
  // A one-hot product, not tf.gather: gather's gradient needs UnsortedSegmentSum, which wasm does not have.
  return tf.add(emb, tf.matMul(tf.oneHot(rows, k), table as tf.Tensor2D)) as tf.Tensor2D;
}

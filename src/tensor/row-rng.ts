/**
 * Per-row random streams (EDM's StackedRandomGenerator): row i of every draw comes from its own stream, forked
 * from one base by the key i, so sample i of a batch depends on the seed and i only, never on the batch size.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "./rng";
import { checkNumber, checkTensorSize, fail } from "./validate";

/**
 * `n` streams, one per row. Each draw of shape [n, ...rest] takes rest's elements of row i from stream i.
 * @example
 * const rows = RowRng.from(rng, 512);          // advances rng once
 * const z = rows.normal([512, 2]);             // row i: the i-th stream's next two normals
 */
export class RowRng {
  private readonly rows: Rng[];

  /** Streams base.fork(0), ..., base.fork(n - 1) (base is not advanced). */
  constructor(base: Rng, readonly n: number) {
    if (!(base instanceof Rng)) fail("RowRng", "base", "must be an Rng");
    checkNumber(n, "n", "RowRng", { integer: true, min: 1 });
    this.rows = Array.from({ length: n }, (_, i) => base.fork(i));
  }

  /** Streams split off `rng` (advanced once, so successive calls get fresh streams). @example RowRng.from(opts.rng, n) */
  static from(rng: Rng, n: number): RowRng {
    if (!(rng instanceof Rng)) fail("RowRng.from", "rng", "must be an Rng");
    return new RowRng(rng.split(), n);
  }

  private fill(shape: number[], fn: string, draw: (r: Rng, k: number) => Float32Array): tf.Tensor {
    if (!Array.isArray(shape) || shape.length === 0 || shape[0] !== this.n || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      fail(`RowRng.${fn}`, "shape", `must be [${this.n}, ...] (one row per stream), got ${JSON.stringify(shape)}`);
    }
    const per = shape.slice(1).reduce((a, b) => a * b, 1);
    checkTensorSize(this.n * per, "shape", `RowRng.${fn}`);
    const out = new Float32Array(this.n * per);
    for (let i = 0; i < this.n; i++) out.set(draw(this.rows[i], per), i * per);
    return tf.tensor(out, shape, "float32");
  }

  /** N(mean, std^2) draws, row i from stream i. @example rows.normal([n, 2], 0, 0.1) */
  normal(shape: number[], mean = 0, std = 1): tf.Tensor {
    checkNumber(mean, "mean", "RowRng.normal");
    checkNumber(std, "std", "RowRng.normal", { min: 0 });
    return this.fill(shape, "normal", (r, k) => {
      const a = r.normalArray(k);
      if (mean !== 0 || std !== 1) for (let j = 0; j < k; j++) a[j] = mean + std * a[j];
      return a;
    });
  }

  /** U[lo, hi) draws, row i from stream i. @example rows.uniform([n, 4]) */
  uniform(shape: number[], lo = 0, hi = 1): tf.Tensor {
    checkNumber(lo, "lo", "RowRng.uniform");
    checkNumber(hi, "hi", "RowRng.uniform");
    if (!(hi > lo)) fail("RowRng.uniform", "hi", `must exceed lo, got lo=${lo}, hi=${hi}`);
    return this.fill(shape, "uniform", (r, k) => r.uniformArray(k, lo, hi));
  }
}

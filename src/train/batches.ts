/**
 * Mini-batch row indices drawn from a seeded Rng. Two laws, because the trainers built on the one loop keep the
 * numbers they gave before it existed: shuffled epochs (DSM training) and independent draws with replacement
 * (the alternative objective, discriminators).
 */
import { Rng, checkPositiveInt } from "../tensor";

/**
 * Shuffled epochs: every row once per epoch, a fresh permutation when one runs out (so a batch may straddle two).
 * @example const batches = new EpochBatches(data.shape[0], rng); const idx = batches.next(128);
 */
export class EpochBatches {
  private perm: Int32Array = new Int32Array(0);
  private pos = 0;
  constructor(private readonly n: number, private readonly rng: Rng) {
    checkPositiveInt(n, "n", "EpochBatches");
  }
  next(b: number): Int32Array {
    const out = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      if (this.pos >= this.perm.length) { this.perm = this.rng.permutation(this.n); this.pos = 0; }
      out[i] = this.perm[this.pos++];
    }
    return out;
  }
}

/**
 * `b` row indices of [0, n) drawn independently and uniformly (with replacement).
 * @example const idx = rowsWithReplacement(data.shape[0], 128, rng);
 */
export function rowsWithReplacement(n: number, b: number, rng: Rng): Int32Array {
  const out = new Int32Array(b);
  for (let i = 0; i < b; i++) out[i] = rng.int(n);
  return out;
}

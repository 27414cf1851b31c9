/**
 * Seeded randomness. Every function in scorelab that draws random numbers takes an `Rng`.
 * Numbers are generated in JavaScript (sfc32 seeded through splitmix32), so a seed gives the same stream on
 * every backend; tensors are built from those numbers.
 */
import * as tf from "@tensorflow/tfjs";
import { MAX_TENSOR_ELEMENTS, checkNumber, checkTensorSize } from "./validate";

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function checkShape(shape: number[], fn: string): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`Rng.${fn}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  // Past ~4 GB the wasm heap wraps silently and corrupts later results: refuse before allocating.
  checkTensorSize(size, "shape", `Rng.${fn}`, MAX_TENSOR_ELEMENTS, `elements ([${shape}])`);
  return size;
}

/** A seeded pseudo-random generator (sfc32). Not cryptographic. */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  private spare: number | null = null;
  readonly seed: number;

  /** @example const rng = new Rng(0); const x = rng.normal([4, 2]); */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    this.seed = Math.floor(seed);
    const sm = splitmix32(this.seed ^ Math.floor(this.seed / 2 ** 32));
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller, caching the second draw). */
  nextNormal(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform on [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new Error(`Rng.permutation: n must be a non-negative integer, got ${n}`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) { const j = this.int(i + 1); const t = p[i]; p[i] = p[j]; p[j] = t; }
    return p;
  }

  /** Standard normal numbers in a Float32Array. */
  normalArray(size: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.nextNormal();
    return out;
  }

  /** Uniform numbers on [lo, hi) in a Float32Array. */
  uniformArray(size: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }

  /** A tensor of N(mean, std^2) draws. @example rng.normal([512, 2]) */
  normal(shape: number[], mean = 0, std = 1): tf.Tensor {
    const size = checkShape(shape, "normal");
    checkNumber(mean, "mean", "Rng.normal");
    checkNumber(std, "std", "Rng.normal", { min: 0 });
    const data = this.normalArray(size);
    if (mean !== 0 || std !== 1) for (let i = 0; i < size; i++) data[i] = mean + std * data[i];
    return tf.tensor(data, shape, "float32");
  }

  /** A tensor of U[lo, hi) draws. @example rng.uniform([512, 1], 1e-3, 1) */
  uniform(shape: number[], lo = 0, hi = 1): tf.Tensor {
    const size = checkShape(shape, "uniform");
    checkNumber(lo, "lo", "Rng.uniform");
    checkNumber(hi, "hi", "Rng.uniform");
    if (!(hi > lo)) throw new Error(`Rng.uniform: need lo < hi, got lo=${lo}, hi=${hi}`);
    return tf.tensor(this.uniformArray(size, lo, hi), shape, "float32");
  }

  /**
   * An independent generator derived from this one's seed and a key, without advancing this one.
   * Per-item keys keep results independent of batch size.
   */
  fork(key: number): Rng {
    // Both 32-bit halves of the seed enter the mix. The product seed * 0x9e3779b1 in doubles lost the seed past
    // 2^21 (past 2^53 its low 32 bits are 0), so all forks of a split() stream were alike; Math.imul gives the same
    // bits as before below 2^21 and keeps them above.
    const hi = Math.floor(this.seed / 4294967296);
    const high = hi === 0 || hi === -1 ? 0 : Math.imul(hi | 0, 0x85ebca6b);
    const mix = splitmix32(Math.imul(this.seed >>> 0, 0x9e3779b1) ^ high ^ key);
    return new Rng(mix() + 4294967296 * (mix() & 0x1fffff));
  }

  /** A generator split off this stream (advances this one). */
  split(): Rng {
    return new Rng(this.nextUint32() + 4294967296 * (this.nextUint32() & 0x1fffff));
  }
}

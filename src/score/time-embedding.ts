/**
 * Time (noise-level) embeddings. Gaussian Fourier features (Tancik et al. 2020, used for the noise level in
 * Song et al. 2021, NCSN++) map c in [0, 1] to [sin(2 pi w_k c), cos(2 pi w_k c)] with fixed w_k ~ N(0, scale^2);
 * sinusoidal features (Vaswani et al. 2017, DDPM's timestep embedding) use geometric frequencies instead.
 * The frequencies are fixed numbers kept in the network config, so a checkpoint restores them exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail, fourierEmbedKernel } from "../tensor";

export type EmbeddingKind = "fourier" | "sinusoidal";

export interface EmbeddingConfig {
  kind: EmbeddingKind;
  /** Output size (even). */
  dim: number;
  /** Frequencies, dim / 2 of them. */
  freqs: number[];
}

/**
 * Builds an embedding config: Gaussian Fourier with std `scale` (default 4), or sinusoidal frequencies from 1 to
 * `maxFreq` (default 100) geometrically spaced.
 * @example const emb = makeEmbedding("fourier", 32, new Rng(0));
 */
export function makeEmbedding(kind: EmbeddingKind, dim: number, rng: Rng, opts: { scale?: number; maxFreq?: number } = {}): EmbeddingConfig {
  const fn = "makeEmbedding";
  checkNumber(dim, "dim", fn, { integer: true, min: 2 });
  if (dim % 2 !== 0) fail(fn, "dim", `must be even (sin and cos pairs), got ${dim}`);
  const half = dim / 2;
  let freqs: number[];
  if (kind === "fourier") {
    const scale = checkNumber(opts.scale ?? 4, "opts.scale", fn, { gt: 0 });
    freqs = Array.from(rng.normalArray(half), (v) => Math.fround(v * scale));
  } else if (kind === "sinusoidal") {
    const maxFreq = checkNumber(opts.maxFreq ?? 100, "opts.maxFreq", fn, { gt: 0 });
    freqs = Array.from({ length: half }, (_, k) => Math.fround(Math.exp((Math.log(maxFreq) * k) / Math.max(1, half - 1)) / (2 * Math.PI)));
  } else {
    return fail(fn, "kind", `must be "fourier" or "sinusoidal", got ${String(kind)}`);
  }
  return { kind, dim, freqs };
}

/**
 * c: [n] (a noise level in about [0, 1]) -> [n, dim].
 * @example const e = embedTime(emb, tf.tensor1d([0.1, 0.9])); // [2, 32]
 */
export function embedTime(cfg: EmbeddingConfig, c: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const w = tf.tensor2d(cfg.freqs, [1, cfg.freqs.length]);
    // One torch kernel (src/tensor/time-embedding.ts), the same numbers; tfjs ops elsewhere.
    const fused = fourierEmbedKernel(c, w);
    if (fused) return fused;
    const arg = tf.mul(tf.reshape(c, [-1, 1]), tf.mul(w, 2 * Math.PI));
    return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
  });
}

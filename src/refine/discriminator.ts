/**
 * Discriminators for refinement: an MLP d(x, t) = sigmoid(logit(x, t)) that tells data (label 1) from model
 * samples (label 0), conditioned on the diffusion time through the same Fourier time embedding as the score
 * networks (Kim, Kim, Kang, Moon, "Refining Generative Process with Discriminator Guidance in Score-based
 * Diffusion Models", ICML 2023, Sec. 3: a noise-conditional discriminator), or unconditioned for the
 * density-ratio refinement of any generator (Husain, De Bortoli, Nock, arXiv 2603.18817).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkTensor, fail } from "../tensor";
import { ACTIVATIONS, type Activation, denseStack } from "../score/network";
import { ParamList } from "../score/params";
import { type EmbeddingConfig, embedTime, makeEmbedding } from "../score/time-embedding";

/** Anything that gives a log density ratio log p_t(x) - log q_t(x) (a logit) per row: x [n, d], t [n] -> [n]. */
export interface LogRatioFn {
  /** Dimension of x. */
  readonly dim: number;
  logit(x: tf.Tensor, t?: tf.Tensor): tf.Tensor1D;
}

export interface DiscriminatorOptions {
  /** Hidden width (default 64). */
  width?: number;
  /** Hidden layers (default 2). */
  depth?: number;
  activation?: Activation;
  /** Condition on diffusion time t (default true). */
  timeConditioned?: boolean;
  /** Size of the Fourier time embedding (default 16). */
  embeddingDim?: number;
  /** Std of the Fourier frequencies for t / T in [0, 1] (default 4). */
  fourierScale?: number;
  /** End time of the SDE, to map t to t / T (default 1). */
  T?: number;
}

export interface DiscriminatorConfig {
  dim: number;
  width: number;
  depth: number;
  activation: Activation;
  timeConditioned: boolean;
  T: number;
  embedding: EmbeddingConfig | null;
}

/**
 * An MLP discriminator with a scalar logit output; parameters are plain tf.Variables (see score/params.ts).
 * @example
 * const disc = mlpDiscriminator(2, new Rng(0), { width: 64 });
 * const v = disc.logit(x, t); // [n] logits, d = sigmoid(v)
 */
export class Discriminator implements LogRatioFn {
  readonly config: DiscriminatorConfig;
  private readonly list = new ParamList();

  /** @example const disc = new Discriminator(cfg, new Rng(0)); */
  constructor(config: DiscriminatorConfig, rng: Rng) {
    this.config = config;
    let fanIn = config.dim + (config.embedding ? config.embedding.dim : 0);
    for (let i = 0; i < config.depth; i++) {
      this.list.dense(`hidden${i}.w`, fanIn, config.width, rng);
      this.list.zeros(`hidden${i}.b`, [config.width]);
      fanIn = config.width;
    }
    // Zero output layer: the untrained discriminator says d = 1/2 everywhere (log ratio 0, no guidance).
    this.list.dense("out.w", fanIn, 1, rng, 0);
    this.list.zeros("out.b", [1]);
  }

  get dim(): number { return this.config.dim; }
  get timeConditioned(): boolean { return this.config.timeConditioned; }
  get variables(): tf.Variable[] { return this.list.variables; }
  get names(): string[] { return this.list.names; }

  /**
   * Raw logits [n] (d = sigmoid(logit), unclipped). t [n] is required for a time-conditioned discriminator
   * and ignored otherwise.
   * @example const v = disc.logit(x, tf.fill([x.shape[0]], 0.5));
   */
  logit(x: tf.Tensor, t?: tf.Tensor): tf.Tensor1D {
    const fn = "Discriminator.logit";
    checkTensor(x, "x", fn);
    if (x.rank !== 2 || x.shape[1] !== this.config.dim) fail(fn, "x", `must have shape [n, ${this.config.dim}], got [${x.shape}]`);
    const emb = this.config.embedding;
    if (emb) {
      if (t === undefined) fail(fn, "t", "is required: this discriminator is time-conditioned (pass t [n])");
      checkTensor(t, "t", fn);
      if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(fn, "t", `must have shape [${x.shape[0]}] (one time per row), got [${t.shape}]`);
    }
    return tf.tidy(() => {
      const w = this.variables;
      let h = tf.cast(x, "float32") as tf.Tensor2D;
      if (emb) h = tf.concat([h, embedTime(emb, tf.div(t!, this.config.T))], 1) as tf.Tensor2D;
      const out = denseStack(h, w, this.config.depth, this.config.activation);
      return tf.reshape(out, [-1]) as tf.Tensor1D;
    });
  }

  /**
   * d = sigmoid(logit) clipped to [clip, 1 - clip] (default 1e-5, as in the DG code), [n].
   * @example const d = disc.prob(x, t);
   */
  prob(x: tf.Tensor, t?: tf.Tensor, clip = D_CLIP): tf.Tensor1D {
    checkNumber(clip, "clip", "Discriminator.prob", { min: 0, lt: 0.5 });
    return tf.tidy(() => tf.clipByValue(tf.sigmoid(this.logit(x, t)), clip, 1 - clip) as tf.Tensor1D);
  }

  /** Frees the variables. @example disc.dispose(); */
  dispose(): void { tf.dispose(this.variables); }
}

/** The clip of d used by discriminator guidance (DG code: d in [1e-5, 1 - 1e-5]). */
export const D_CLIP = 1e-5;
/** log((1 - D_CLIP) / D_CLIP): the largest log ratio a clipped classifier can express (about 11.51). */
export const LOGIT_CLIP = Math.log((1 - D_CLIP) / D_CLIP);

/**
 * Builds an MLP discriminator for d-dimensional samples (defaults: width 64, depth 2, SiLU, 16-d Fourier time
 * embedding, time-conditioned).
 * @example const disc = mlpDiscriminator(2, new Rng(0), { timeConditioned: false });
 */
export function mlpDiscriminator(dim: number, rng: Rng, opts: DiscriminatorOptions = {}): Discriminator {
  const fn = "mlpDiscriminator";
  checkNumber(dim, "dim", fn, { integer: true, min: 1 });
  if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const width = checkNumber(opts.width ?? 64, "opts.width", fn, { integer: true, min: 1 });
  const depth = checkNumber(opts.depth ?? 2, "opts.depth", fn, { integer: true, min: 1 });
  const activation = opts.activation ?? "silu";
  if (!ACTIVATIONS.includes(activation)) fail(fn, "opts.activation", `must be one of ${ACTIVATIONS.join(", ")}, got ${String(activation)}`);
  const timeConditioned = opts.timeConditioned ?? true;
  const T = checkNumber(opts.T ?? 1, "opts.T", fn, { gt: 0 });
  const embedding = timeConditioned
    ? makeEmbedding("fourier", opts.embeddingDim ?? 16, rng.fork(17), { scale: opts.fourierScale })
    : null;
  return new Discriminator({ dim, width, depth, activation, timeConditioned, T, embedding }, rng.fork(29));
}

/**
 * A multilayer perceptron score network: [x, embed(c)] -> width x depth hidden layers -> x's size.
 * Dense layers use tf.fused.matMul with bias (and the activation too when tfjs can fuse it), which is the fast
 * path on the wasm backend once transposed products are fixed (src/tensor/matmul-fix.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail } from "../tensor";
import { ACTIVATIONS, Network, denseStack } from "./network";
import type { Activation, MLPConfig } from "./network-config";

export type { MLPConfig } from "./network-config";
import { ParamList } from "./params";
import { EmbeddingConfig, EmbeddingKind, embedTime, makeEmbedding } from "./time-embedding";
import { checkClasses, withLabels } from "./labels";

export interface MLPOptions {
  width?: number;
  depth?: number;
  activation?: Activation;
  embedding?: EmbeddingKind;
  embeddingDim?: number;
  /** Std of the Gaussian Fourier frequencies (default 4, for a noise level in [0, 1]). */
  fourierScale?: number;
  /** Number of classes: a learned label embedding is added to the noise embedding (labels.ts). */
  classes?: number;
}

/** Checks a sample shape and returns its number of elements. */
export function shapeSize(shape: unknown, fn: string, name = "shape"): number {
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(fn, name, `must be a non-empty array of positive integers (the shape of one sample), got ${JSON.stringify(shape)}`);
  }
  return (shape as number[]).reduce((a, b) => a * b, 1);
}

/**
 * Builds the config of an MLP (defaults: width 256, depth 3, SiLU, 32-d Gaussian Fourier embedding).
 * @example const cfg = mlpConfig([2], new Rng(0), { width: 128 });
 */
export function mlpConfig(shape: number[], rng: Rng, opts: MLPOptions = {}): MLPConfig {
  const fn = "mlpConfig";
  shapeSize(shape, fn);
  const width = checkNumber(opts.width ?? 256, "opts.width", fn, { integer: true, min: 1 });
  const depth = checkNumber(opts.depth ?? 3, "opts.depth", fn, { integer: true, min: 1 });
  const activation = opts.activation ?? "silu";
  if (!ACTIVATIONS.includes(activation)) fail(fn, "opts.activation", `must be one of ${ACTIVATIONS.join(", ")}, got ${String(activation)}`);
  const embedding = makeEmbedding(opts.embedding ?? "fourier", opts.embeddingDim ?? 32, rng, { scale: opts.fourierScale });
  const classes = checkClasses(opts.classes, fn);
  return { kind: "mlp", shape: [...shape], width, depth, activation, embedding, ...(classes ? { classes } : {}) };
}

/** The MLP network for a config; `rng` draws the initial weights (the output layer starts at zero). */
export class MLP implements Network {
  readonly config: MLPConfig;
  readonly inputSize: number;
  private readonly list = new ParamList();

  /** @example const net = new MLP(mlpConfig([2], rng), rng); */
  constructor(config: MLPConfig, rng: Rng) {
    this.config = config;
    this.inputSize = shapeSize(config.shape, "MLP");
    let fanIn = this.inputSize + config.embedding.dim;
    for (let i = 0; i < config.depth; i++) {
      this.list.dense(`hidden${i}.w`, fanIn, config.width, rng);
      this.list.zeros(`hidden${i}.b`, [config.width]);
      fanIn = config.width;
    }
    // Zero output: the initial eps-prediction is 0, i.e. loss = E||eps||^2 per dimension = 1 (EDM's init_zero).
    this.list.dense("out.w", fanIn, this.inputSize, rng, 0);
    this.list.zeros("out.b", [this.inputSize]);
    // Last, so the dense stack keeps its indices: classes + 1 rows, the last one the null label.
    if (config.classes) this.list.add("label.emb", rng.normal([config.classes + 1, config.embedding.dim]));
  }

  get names(): string[] { return this.list.names; }
  get variables(): tf.Variable[] { return this.list.variables; }

  apply(x: tf.Tensor, c: tf.Tensor, weights?: tf.Tensor[], labels?: tf.Tensor): tf.Tensor {
    const w = weights ?? this.variables;
    return tf.tidy(() => {
      const n = x.shape[0];
      let emb = embedTime(this.config.embedding, c);
      if (this.config.classes) emb = withLabels(emb, w[2 * this.config.depth + 2], labels);
      let h: tf.Tensor2D = tf.concat([tf.reshape(x, [n, this.inputSize]), emb], 1) as tf.Tensor2D;
      const out = denseStack(h, w, this.config.depth, this.config.activation);
      return tf.reshape(out, x.shape);
    });
  }

  dispose(): void { tf.dispose(this.variables); }
}

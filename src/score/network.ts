/**
 * The raw network behind a score model: a function of (scaled input, noise level) that knows nothing about SDEs.
 * How its input and output are scaled lives in the parameterisation (see score-net.ts), as in EDM's
 * preconditioning wrappers (Karras et al. 2022, Table 1).
 */
import * as tf from "@tensorflow/tfjs";
import { silu } from "../tensor";
import type { MLPConfig } from "./mlp";
import type { UNetConfig } from "./unet";

export type NetworkConfig = MLPConfig | UNetConfig;

export interface Network {
  readonly config: NetworkConfig;
  /** Parameter names, in the order of `variables` (the checkpoint order). */
  readonly names: string[];
  readonly variables: tf.Variable[];
  /** Elements per sample (the product of the sample shape). */
  readonly inputSize: number;
  /**
   * x: [n, ...] with `inputSize` elements per row; c: [n] noise conditioning. Returns a tensor shaped like x.
   * `weights` replaces `variables` (same order and shapes): how EMA copies are evaluated.
   */
  apply(x: tf.Tensor, c: tf.Tensor, weights?: tf.Tensor[]): tf.Tensor;
  /** Frees the variables. */
  dispose(): void;
}

export type Activation = "silu" | "relu" | "tanh" | "elu";

/** Applies an activation that tf.fused cannot (SiLU = x sigmoid(x), Elfwing et al. 2018). */
export function activate(h: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    // One kernel each way on wasm with the OpenBLAS addon (src/tensor/silu.ts); tf.mul(h, tf.sigmoid(h)) elsewhere.
    case "silu": return silu(h);
    case "relu": return tf.relu(h);
    case "tanh": return tf.tanh(h);
    case "elu": return tf.elu(h);
  }
}

export const ACTIVATIONS: Activation[] = ["silu", "relu", "tanh", "elu"];

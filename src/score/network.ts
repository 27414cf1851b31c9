/**
 * The raw network behind a score model: a function of (scaled input, noise level) that knows nothing about SDEs.
 * How its input and output are scaled lives in the parameterisation (see score-net.ts), as in EDM's
 * preconditioning wrappers (Karras et al. 2022, Table 1).
 */
import * as tf from "@tensorflow/tfjs";
import { denseStackKernel, silu } from "../tensor";
import type { Activation, NetworkConfig } from "./network-config";

export type { Activation, NetworkConfig } from "./network-config";


export interface Network {
  readonly config: NetworkConfig;
  /** Parameter names, in the order of `variables` (the checkpoint order). */
  readonly names: string[];
  readonly variables: tf.Variable[];
  /** Elements per sample (the product of the sample shape). */
  readonly inputSize: number;
  /**
   * x: [n, ...] with `inputSize` elements per row; c: [n] noise conditioning. Returns a tensor shaped like x.
   * `weights` replaces `variables` (same order and shapes): how EMA copies are evaluated. `labels` (int32 [n],
   * see labels.ts) condition a class-conditional network; omitted, it uses the null label (unconditional).
   */
  apply(x: tf.Tensor, c: tf.Tensor, weights?: tf.Tensor[], labels?: tf.Tensor): tf.Tensor;
  /** Frees the variables. */
  dispose(): void;
}

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

/**
 * A stack of `depth` dense layers with activation, then a linear output layer; weights are [W0, b0, W1, b1, ...].
 * Shared by the score MLP and the refinement discriminator. ReLU and ELU fuse into the matmul kernel; SiLU and tanh
 * are applied after it (on torch the whole stack is one kernel). Call inside tf.tidy.
 * `useKernel = false` forces the tfjs ops (for tests).
 * @example const out = denseStack(h, model.variables, 3, "silu");
 */
export function denseStack(h: tf.Tensor2D, w: tf.Tensor[], depth: number, act: Activation, useKernel = true): tf.Tensor2D {
  // One kernel each way on the torch backend (src/tensor/dense-stack.ts); the tfjs ops below elsewhere.
  const fused = useKernel ? denseStackKernel(h, w, depth, act) : null;
  if (fused) return fused;
  const fusable = act === "relu" || act === "elu";
  for (let i = 0; i < depth; i++) {
    const z = tf.fused.matMul({ a: h, b: w[2 * i] as tf.Tensor2D, bias: w[2 * i + 1], activation: fusable ? act : "linear" });
    h = (fusable ? z : activate(z, act)) as tf.Tensor2D;
  }
  return tf.fused.matMul({ a: h, b: w[2 * depth] as tf.Tensor2D, bias: w[2 * depth + 1] }) as tf.Tensor2D;
}

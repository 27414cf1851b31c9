/**
 * The configs of the raw networks, in one file that imports no network code: checkpoints, the Network interface
 * and the networks themselves all read them, so keeping them here keeps those files free of import cycles.
 */
import type { EmbeddingConfig } from "./time-embedding";

export type Activation = "silu" | "relu" | "tanh" | "elu";

export interface MLPConfig {
  kind: "mlp";
  /** Shape of one sample, e.g. [2] or [28, 28]. */
  shape: number[];
  width: number;
  depth: number;
  activation: Activation;
  embedding: EmbeddingConfig;
  /** Classes of a class-conditional network (labels.ts); absent for an unconditional one. */
  classes?: number;
}

export interface UNetConfig {
  kind: "unet";
  /** [H, W] or [H, W, 1]; H and W even. */
  shape: number[];
  /** Channels at full resolution (doubled at half resolution). */
  channels: number;
  /** Groups of the group normalisation; divides `channels`. */
  groups: number;
  embedding: EmbeddingConfig;
  /** Classes of a class-conditional network (labels.ts); absent for an unconditional one. */
  classes?: number;
}

export type NetworkConfig = MLPConfig | UNetConfig;

/**
 * The network kinds by name: what `--net` offers (%train_score, %flow_match), with each kind's help text, default
 * size and the sample shape it takes. A magic builds its network through the row, so a new kind is a network file
 * and one row here; checkpoints rebuild from the saved config through buildNetwork (score-net.ts).
 */
import type { Rng } from "../tensor";
import { MLP, mlpConfig } from "./mlp";
import { UNet, unetConfig } from "./unet";
import type { Network } from "./network";

/** The sizes a magic's flags give: --width (MLP width or U-Net channels) and --depth (MLP only). */
export interface NetworkSizes { width?: number; depth?: number }

export interface NetworkKindSpec {
  /** For `--net` help. */
  description: string;
  /** --width when not given. */
  defaultWidth: number;
  /** The network's sample shape from one data item's: data sets hold images as [1, H, W], the U-Net takes [H, W]. */
  sampleShape(item: number[]): number[];
  /** A fresh network for samples of `shape` (weights from `rng`). */
  build(shape: number[], rng: Rng, sizes: NetworkSizes): Network;
}

const MLP_WIDTH = 128;
const UNET_CHANNELS = 16;

export const NETWORKS = {
  mlp: {
    description: "MLP on the flattened sample (any data)", defaultWidth: MLP_WIDTH,
    sampleShape: (item: number[]) => item,
    build: (shape: number[], rng: Rng, s: NetworkSizes) => new MLP(mlpConfig(shape, rng, { width: s.width ?? MLP_WIDTH, depth: s.depth }), rng),
  },
  unet: {
    description: "U-Net (one-channel images with even H, W)", defaultWidth: UNET_CHANNELS,
    sampleShape: (item: number[]) => (item.length === 3 && item[0] === 1 ? item.slice(1) : item),
    build: (shape: number[], rng: Rng, s: NetworkSizes) => new UNet(unetConfig(shape, rng, { channels: s.width ?? UNET_CHANNELS }), rng),
  },
} satisfies Record<string, NetworkKindSpec>;

export type NetworkName = keyof typeof NETWORKS;
export const NETWORK_NAMES = Object.keys(NETWORKS) as NetworkName[];

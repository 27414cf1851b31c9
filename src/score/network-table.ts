/**
 * The network kinds by name: what `--net` offers (%train_score, %flow_match), with each kind's help text, default
 * size, the sample shape it takes, how a saved config rebuilds it (checkpoints, through buildNetwork in
 * score-net.ts), how a run names it and how its weights lie in PyTorch (safetensors). Everything that depends on
 * the kind reads its row, so a new kind is a network file and one row here.
 */
import { fail, type Rng } from "../tensor";
import { MLP, mlpConfig } from "./mlp";
import { UNet, unetConfig } from "./unet";
import type { Network } from "./network";
import type { MLPConfig, NetworkConfig, UNetConfig } from "./network-config";

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
  /** The network a saved config of this kind describes (weights from `rng`; loading overwrites them). */
  fromConfig(config: NetworkConfig, rng: Rng): Network;
  /** How a run names it, with its size, e.g. "mlp (width 128, depth 3)". */
  describe(config: NetworkConfig): string;
  /** How parameter `name` (a weight ending in ".w") lies in a PyTorch state_dict; safetensors-model.ts transposes by it. */
  torchLayout(name: string): TorchLayout;
}

/**
 * A weight's PyTorch layout: "dense" is nn.Linear's [out, in] (ours is [in, out]), "conv" nn.Conv2d's
 * [out, in, kh, kw], "skip" a 1x1 nn.Conv2d stored by us as a dense [in, out], "plain" the same in both.
 */
export type TorchLayout = "dense" | "conv" | "skip" | "plain";

const MLP_WIDTH = 128;
const UNET_CHANNELS = 16;

export const NETWORKS = {
  mlp: {
    description: "MLP on the flattened sample (any data)", defaultWidth: MLP_WIDTH,
    sampleShape: (item: number[]) => item,
    build: (shape: number[], rng: Rng, s: NetworkSizes) => new MLP(mlpConfig(shape, rng, { width: s.width ?? MLP_WIDTH, depth: s.depth }), rng),
    fromConfig: (c: NetworkConfig, rng: Rng) => new MLP(c as MLPConfig, rng),
    describe: (c: NetworkConfig) => `mlp (width ${(c as MLPConfig).width}, depth ${(c as MLPConfig).depth})`,
    torchLayout: (): TorchLayout => "dense",
  },
  unet: {
    description: "U-Net (one-channel images with even H, W)", defaultWidth: UNET_CHANNELS,
    sampleShape: (item: number[]) => (item.length === 3 && item[0] === 1 ? item.slice(1) : item),
    build: (shape: number[], rng: Rng, s: NetworkSizes) => new UNet(unetConfig(shape, rng, { channels: s.width ?? UNET_CHANNELS }), rng),
    fromConfig: (c: NetworkConfig, rng: Rng) => new UNet(c as UNetConfig, rng),
    describe: (c: NetworkConfig) => `unet (${(c as UNetConfig).channels} channels)`,
    torchLayout: (name: string): TorchLayout => (name.endsWith(".skip.w") ? "skip" : name === "temb.w" || name.endsWith(".temb.w") ? "dense" : "conv"),
  },
} satisfies Record<string, NetworkKindSpec>;

export type NetworkName = keyof typeof NETWORKS;
export const NETWORK_NAMES = Object.keys(NETWORKS) as NetworkName[];

/**
 * The row of network kind `name`; anything else (including inherited keys such as "constructor") is one Error
 * naming `fn`, `arg` and the kinds there are.
 * @example networkKind("mlp", "loadModel", "config.kind").describe(config) // "mlp (width 128, depth 3)"
 */
export function networkKind(name: unknown, fn: string, arg: string): NetworkKindSpec {
  if (typeof name === "string" && Object.prototype.hasOwnProperty.call(NETWORKS, name)) return NETWORKS[name as NetworkName];
  return fail(fn, arg, `must be a network kind: one of ${NETWORK_NAMES.join(", ")}, got ${JSON.stringify(name) ?? String(name)}`);
}

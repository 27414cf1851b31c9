/** What %train_score and %flow_match read alike from their flags: the data, the sample shape, the seed and the net size. */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import { MagicError, type MagicContext, type OptionSpec } from "./spec";
import { dataTensorOf, notebookValue } from "./notebook-vars";
import { NETWORKS, NETWORK_NAMES, type NetworkName } from "../score/network-table";

/** The flags both magics take, with the same meaning and defaults. */
export const trainingFlags: OptionSpec[] = [
  { flags: "--data <var>", description: "notebook variable: a dataset from %dataset or a tensor [n, ...]" },
  { flags: "--net <kind>", description: `network: ${NETWORK_NAMES.map((n) => `${n}, ${NETWORKS[n].description}`).join("; ")}`, default: "mlp", choices: NETWORK_NAMES },
  { flags: "--width <w>", description: `MLP hidden width, or U-Net channels (default ${NETWORK_NAMES.map((n) => `${NETWORKS[n].defaultWidth} for ${n}`).join(", ")})`, kind: "positive-int" },
  { flags: "--depth <d>", description: "MLP hidden layers (ignored by unet)", kind: "positive-int", default: 3 },
  { flags: "--steps <k>", description: "optimizer steps", kind: "positive-int", default: 1000 },
  { flags: "--batch <b>", description: "mini-batch size", kind: "positive-int", default: 128 },
  { flags: "--lr <lr>", description: "Adam learning rate", kind: "number", default: 1e-3 },
  { flags: "--ema <decay>", description: "EMA decay of the weights in [0, 1); 0 keeps none", kind: "number", default: 0.999 },
];

export interface TrainingInput {
  /** The notebook's tensor and the flag text it came from. */
  x: tf.Tensor;
  dataName: string;
  /** x, or x reshaped to [n, ...shape] (then the caller disposes it). */
  data: tf.Tensor;
  shape: number[];
  /** The --net row of the network table. */
  net: NetworkName;
  rng: Rng;
  /** --width resolved: U-Net channels (default 16) or MLP width (default 128). */
  width: number;
}

/**
 * Reads --data, --net, --width and --seed. The U-Net takes [H, W]; datasets hold images as [1, H, W].
 * @example const { data, shape, rng } = trainingInput(opts, ctx, "train_score");
 */
export function trainingInput(opts: Record<string, unknown>, ctx: MagicContext, magic: string): TrainingInput {
  const dataName = typeof opts.data === "string" ? opts.data : "(value)";
  const x = dataTensorOf(notebookValue(ctx, magic, "--data", opts.data), magic, `--data '${dataName}'`);
  if (x.rank < 2 || x.shape[0] < 1) throw new MagicError(`%${magic}: --data '${dataName}' must be a tensor [n, ...] with n >= 1, got [${x.shape}]`);
  const rng = opts.seed !== undefined ? new Rng(opts.seed as number) : ctx.rng.split();
  const net = (opts.net ?? "mlp") as NetworkName;
  const item = x.shape.slice(1);
  const shape = NETWORKS[net].sampleShape(item);
  const data = shape === item ? x : tf.reshape(x, [x.shape[0], ...shape]);
  return { x, dataName, data, shape, net, rng, width: (opts.width as number | undefined) ?? NETWORKS[net].defaultWidth };
}

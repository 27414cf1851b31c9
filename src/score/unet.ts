/**
 * A small U-Net for one-channel H x W images (Ronneberger et al. 2015, as used for scores by Ho et al. 2020 and
 * Song et al. 2021, much reduced for CPU): two resolutions, residual blocks with group normalisation (Wu & He
 * 2018), the time embedding added in every block, and skip connections across the bottleneck.
 *
 * Convolutions are 3x3 im2col products (nine shifted slices, one matMul) on wasm: it has no
 * Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there, while matMul is its fastest kernel. On the
 * torch backend they are tf.fused.conv2d with the same weights.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail, im2col3x3, groupNormNHWC } from "../tensor";
import { Network, activate } from "./network";
import type { UNetConfig } from "./network-config";

export type { UNetConfig } from "./network-config";
import { ParamList } from "./params";
import { EmbeddingConfig, EmbeddingKind, embedTime, makeEmbedding } from "./time-embedding";
import { checkClasses, withLabels } from "./labels";

export interface UNetOptions { channels?: number; groups?: number; embedding?: EmbeddingKind; embeddingDim?: number; fourierScale?: number; classes?: number }

function imageSize(shape: unknown, fn: string): [number, number] {
  const ok = Array.isArray(shape) && (shape.length === 2 || (shape.length === 3 && shape[2] === 1)) && shape.every((d) => Number.isInteger(d) && d >= 1);
  if (!ok) fail(fn, "shape", `must be [H, W] or [H, W, 1] (one-channel images), got ${JSON.stringify(shape)}`);
  const [h, w] = shape as number[];
  if (h % 2 !== 0 || w % 2 !== 0) fail(fn, "shape", `must have even H and W (one 2x2 downsampling), got ${h}x${w}`);
  return [h, w];
}

/**
 * Builds a U-Net config (defaults: 16 channels, 4 groups, 32-d Gaussian Fourier embedding).
 * @example const cfg = unetConfig([8, 8], new Rng(0), { channels: 8 });
 */
export function unetConfig(shape: number[], rng: Rng, opts: UNetOptions = {}): UNetConfig {
  const fn = "unetConfig";
  imageSize(shape, fn);
  const channels = checkNumber(opts.channels ?? 16, "opts.channels", fn, { integer: true, min: 1 });
  const groups = checkNumber(opts.groups ?? 4, "opts.groups", fn, { integer: true, min: 1 });
  if (channels % groups !== 0) fail(fn, "opts.groups", `must divide opts.channels (${channels}), got ${groups}`);
  const embedding = makeEmbedding(opts.embedding ?? "fourier", opts.embeddingDim ?? 32, rng, { scale: opts.fourierScale });
  const classes = checkClasses(opts.classes, fn);
  return { kind: "unet", shape: [...shape], channels, groups, embedding, ...(classes ? { classes } : {}) };
}

interface Block { cin: number; cout: number; prefix: string }

/** The U-Net for a config; `rng` draws the initial weights (the output convolution starts at zero). */
export class UNet implements Network {
  readonly config: UNetConfig;
  readonly inputSize: number;
  private readonly list = new ParamList();
  private readonly index = new Map<string, number>();
  private readonly blocks: Record<string, Block> = {};
  private readonly h: number;
  private readonly w: number;
  private readonly tdim: number;

  /** @example const net = new UNet(unetConfig([8, 8], rng), rng); */
  constructor(config: UNetConfig, rng: Rng) {
    this.config = config;
    [this.h, this.w] = imageSize(config.shape, "UNet");
    this.inputSize = this.h * this.w;
    const c = config.channels;
    this.tdim = 4 * c;
    const p = this.list;
    p.dense("temb.w", config.embedding.dim, this.tdim, rng); p.zeros("temb.b", [this.tdim]);
    p.dense("in.w", 9, c, rng); p.zeros("in.b", [c]);
    this.block("down", c, c, rng);
    this.block("low", c, 2 * c, rng);
    this.block("mid", 2 * c, 2 * c, rng);
    this.block("lowUp", 4 * c, 2 * c, rng);
    this.block("up", 3 * c, c, rng);
    p.ones("outNorm.g", [c]); p.zeros("outNorm.b", [c]);
    p.dense("out.w", 9 * c, 1, rng, 0); p.zeros("out.b", [1]);
    if (config.classes) p.add("label.emb", rng.normal([config.classes + 1, config.embedding.dim]));
    this.list.names.forEach((name, i) => this.index.set(name, i));
  }

  private block(prefix: string, cin: number, cout: number, rng: Rng): void {
    const p = this.list;
    p.ones(`${prefix}.norm1.g`, [cin]); p.zeros(`${prefix}.norm1.b`, [cin]);
    p.dense(`${prefix}.conv1.w`, 9 * cin, cout, rng); p.zeros(`${prefix}.conv1.b`, [cout]);
    p.dense(`${prefix}.temb.w`, this.tdim, cout, rng); p.zeros(`${prefix}.temb.b`, [cout]);
    p.ones(`${prefix}.norm2.g`, [cout]); p.zeros(`${prefix}.norm2.b`, [cout]);
    // A small second convolution keeps each block near the identity at the start (residual scaling).
    p.dense(`${prefix}.conv2.w`, 9 * cout, cout, rng, 0.1); p.zeros(`${prefix}.conv2.b`, [cout]);
    if (cin !== cout) p.dense(`${prefix}.skip.w`, cin, cout, rng);
    this.blocks[prefix] = { cin, cout, prefix };
  }

  get names(): string[] { return this.list.names; }
  get variables(): tf.Variable[] { return this.list.variables; }

  apply(x: tf.Tensor, c: tf.Tensor, weights?: tf.Tensor[], labels?: tf.Tensor): tf.Tensor {
    const w = weights ?? this.variables;
    const get = (name: string) => w[this.index.get(name)!];
    return tf.tidy(() => {
      const n = x.shape[0];
      let emb = embedTime(this.config.embedding, c);
      if (this.config.classes) emb = withLabels(emb, get("label.emb"), labels);
      const temb = activate(tf.fused.matMul({ a: emb, b: get("temb.w") as tf.Tensor2D, bias: get("temb.b") }), "silu") as tf.Tensor2D;
      const img = tf.reshape(x, [n, this.h, this.w, 1]) as tf.Tensor4D;
      const h0 = conv3x3(img, get("in.w"), get("in.b"));
      const h1 = this.res("down", h0, temb, get);
      const h2 = this.res("low", tf.avgPool(h1, 2, 2, "valid"), temb, get);
      const h3 = this.res("mid", h2, temb, get);
      const h4 = this.res("lowUp", tf.concat([h3, h2], 3) as tf.Tensor4D, temb, get);
      const up = tf.image.resizeNearestNeighbor(h4, [this.h, this.w]);
      const h5 = this.res("up", tf.concat([up, h1], 3) as tf.Tensor4D, temb, get);
      const o = activate(groupNorm(h5, get("outNorm.g"), get("outNorm.b"), this.config.groups), "silu") as tf.Tensor4D;
      return tf.reshape(conv3x3(o, get("out.w"), get("out.b")), x.shape);
    });
  }

  private res(prefix: string, x: tf.Tensor4D, temb: tf.Tensor2D, get: (name: string) => tf.Tensor): tf.Tensor4D {
    const { cin, cout } = this.blocks[prefix];
    const g = this.config.groups;
    let h = activate(groupNorm(x, get(`${prefix}.norm1.g`), get(`${prefix}.norm1.b`), g), "silu") as tf.Tensor4D;
    h = this.timeBiasedConv(prefix, h, temb, get);
    h = activate(groupNorm(h, get(`${prefix}.norm2.g`), get(`${prefix}.norm2.b`), g), "silu") as tf.Tensor4D;
    h = conv3x3(h, get(`${prefix}.conv2.w`), get(`${prefix}.conv2.b`));
    const skip = cin === cout ? x : tf.reshape(tf.matMul(tf.reshape(x, [-1, cin]), get(`${prefix}.skip.w`) as tf.Tensor2D), [...x.shape.slice(0, 3), cout]);
    return tf.add(h, skip) as tf.Tensor4D;
  }

  /**
   * conv1(h) + conv1.b + (temb W + temb.b) per sample. On torch the per-sample time bias rides in the convolution as a
   * [n, 1, 1, c] bias (added inside the one kernel), so no full-size add runs forward and no full-size sum of dy for
   * it backward; elsewhere (im2col products take a [c] bias only) the sum is an add after the convolution.
   */
  private timeBiasedConv(prefix: string, h: tf.Tensor4D, temb: tf.Tensor2D, get: (name: string) => tf.Tensor): tf.Tensor4D {
    const cout = this.blocks[prefix].cout;
    const [w, b, tw, tb] = ["conv1.w", "conv1.b", "temb.w", "temb.b"].map((k) => get(`${prefix}.${k}`));
    if (tf.getBackend() !== "torch") {
      const t = tf.fused.matMul({ a: temb, b: tw as tf.Tensor2D, bias: tb });
      return tf.add(conv3x3(h, w, b), tf.reshape(t, [-1, 1, 1, cout]));
    }
    const t = tf.fused.matMul({ a: temb, b: tw as tf.Tensor2D, bias: tf.add(tb, b) });
    return conv3x3(h, w, tf.reshape(t, [-1, 1, 1, cout]));
  }

  dispose(): void { tf.dispose(this.variables); }
}

/**
 * 3x3 'same' convolution as im2col: x [n,h,w,cin], w [9 cin, cout] (rows ordered dy, dx, cin); b [cout], or on torch
 * anything that broadcasts against the output (a per-sample [n, 1, 1, cout]).
 */
export function conv3x3(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor): tf.Tensor4D {
  const [n, h, wd, cin] = x.shape;
  const cout = w.shape[1]!;
  // On torch, the rows (dy, dx, cin) are an HWIO filter: one oneDNN convolution each way instead of a [n h w, 9 cin]
  // patch matrix built from pad + nine slices + concat (torch has Conv2DBackpropFilter; wasm does not).
  if (tf.getBackend() === "torch") return tf.fused.conv2d({ x, filter: tf.reshape(w, [3, 3, cin, cout]) as tf.Tensor4D, strides: 1, pad: "same", bias: b });
  // One native pass for the patches and their gradient where the OpenBLAS addon is active (src/tensor/im2col.ts).
  const patches = im2col3x3(x);
  return tf.reshape(tf.fused.matMul({ a: patches, b: w as tf.Tensor2D, bias: b }), [n, h, wd, cout]);
}

/** Group normalisation (Wu & He 2018) over (h, w, channels of a group), with a per-channel affine map. */
export function groupNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, groups: number): tf.Tensor4D {
  const c = x.shape[3];
  // One kernel each way on wasm with the OpenBLAS addon (src/tensor/group-norm.ts); tf.moments elsewhere.
  return groupNormNHWC(x, gamma, beta, c % groups === 0 ? groups : 1, 1e-5);
}

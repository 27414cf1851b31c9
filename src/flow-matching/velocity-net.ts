/**
 * A trainable velocity model: a raw network (MLP or U-Net, src/score) with the input scaling of score-net.ts,
 * c_in = 1 / sqrt(a^2 sigma_data^2 + s^2) and c_noise = t / T, predicting v directly (the target a' x_0 + s' eps
 * has unit scale on the OT path). Its score is the conversion of convert.ts, so a velocity model also drives the
 * score samplers, guidance and fusion.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkTensor, fail } from "../tensor";
import type { ScoreFn } from "../sde/types";
import { MLP, UNet, mlpConfig, unetConfig, type MLPOptions, type Network, type UNetOptions, type WeightSet } from "../score";
import { scoreFromVelocity, type VelocityFn } from "./convert";
import { checkPath, perRow, type ProbabilityPath } from "./path";

/** A velocity network on a probability path, with optional EMA weights. */
export class VelocityNet {
  readonly path: ProbabilityPath;
  readonly net: Network;
  readonly sigmaData: number;
  /** EMA copies of `variables`, made by the first training with EMA on; null before. */
  ema: tf.Variable[] | null = null;
  /** Whether `velocity` uses the EMA weights (trainVelocity sets it when it kept one). */
  useEma = false;

  /** @example const model = new VelocityNet(otPath(), new MLP(mlpConfig([2], rng), rng)); */
  constructor(path: ProbabilityPath, net: Network, opts: { sigmaData?: number } = {}) {
    checkPath(path, "VelocityNet");
    if (!net || typeof net.apply !== "function") fail("VelocityNet", "net", "must be a Network (MLP or UNet)");
    this.path = path;
    this.net = net;
    this.sigmaData = checkNumber(opts.sigmaData ?? 1, "opts.sigmaData", "VelocityNet", { gt: 0 });
    this.score = scoreFromVelocity(this.velocity, path);
  }

  get variables(): tf.Variable[] { return this.net.variables; }
  /** Shape of one sample. */
  get shape(): number[] { return this.net.config.shape; }

  /**
   * The predicted velocity with a chosen weight set (default: EMA after training). x [n, ...shape], t [n].
   * @example const v = model.velocityWith(x, t, "raw");
   */
  velocityWith(x: tf.Tensor, t: tf.Tensor, which: WeightSet = this.useEma ? "ema" : "raw"): tf.Tensor {
    const fn = "VelocityNet.velocity";
    checkTensor(x, "x", fn);
    checkTensor(t, "t", fn);
    if (x.rank < 2 || x.size / x.shape[0] !== this.net.inputSize) fail(fn, "x", `must have shape [n, ${this.shape}], got [${x.shape}]`);
    if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(fn, "t", `must have shape [${x.shape[0]}] (one time per row of x), got [${t.shape}]`);
    return tf.tidy(() => {
      const { scale, std } = this.path.coefficients(t);
      const cin = tf.rsqrt(tf.add(tf.mul(tf.square(scale), this.sigmaData ** 2), tf.square(std)));
      const weights = which === "ema" && this.ema ? this.ema : this.variables;
      return this.net.apply(tf.mul(x, perRow(cin, x)), tf.div(t, this.path.T), weights);
    });
  }

  /** The velocity with the current weight set: a VelocityFn. */
  readonly velocity: VelocityFn = (x, t) => this.velocityWith(x, t);
  /** The score of the path's marginal implied by the velocity (convert.ts): a ScoreFn. */
  readonly score: ScoreFn;

  /** Starts (or restarts) the EMA at the current weights. */
  resetEma(): void {
    if (this.ema) tf.dispose(this.ema);
    this.ema = this.variables.map((v) => tf.variable(v, false));
  }

  /** Frees the variables and EMA copies. */
  dispose(): void {
    this.net.dispose();
    if (this.ema) tf.dispose(this.ema);
    this.ema = null;
  }
}

/**
 * The conditional flow matching loss E || v_theta(x_t, t) - (a' x_0 + s' eps) ||^2 (Lipman et al. 2023, eq. 9 and
 * 23; Tong et al. 2023, eq. 14), averaged over batch and coordinates. A scalar tensor.
 * @example const loss = flowMatchingLoss(model, x0, t, eps);
 */
export function flowMatchingLoss(model: VelocityNet, x0: tf.Tensor, t: tf.Tensor, eps: tf.Tensor, which: WeightSet = "raw"): tf.Scalar {
  return tf.tidy(() => {
    const { scale, std, dScale, dStd } = model.path.coefficients(t);
    const xt = tf.add(tf.mul(x0, perRow(scale, x0)), tf.mul(eps, perRow(std, x0)));
    const target = tf.add(tf.mul(x0, perRow(dScale, x0)), tf.mul(eps, perRow(dStd, x0)));
    return tf.mean(tf.square(tf.sub(model.velocityWith(xt, t, which), target))) as tf.Scalar;
  });
}

/**
 * An MLP velocity model for samples of `shape` on `path`.
 * @example const model = mlpVelocityNet(otPath(), [2], new Rng(0), { width: 128 });
 */
export function mlpVelocityNet(path: ProbabilityPath, shape: number[], rng: Rng, opts: MLPOptions & { sigmaData?: number } = {}): VelocityNet {
  return new VelocityNet(path, new MLP(mlpConfig(shape, rng, opts), rng), opts);
}

/**
 * A U-Net velocity model for one-channel images of `shape` ([H, W] or [H, W, 1]) on `path`.
 * @example const model = unetVelocityNet(otPath(), [8, 8], new Rng(0), { channels: 8 });
 */
export function unetVelocityNet(path: ProbabilityPath, shape: number[], rng: Rng, opts: UNetOptions & { sigmaData?: number } = {}): VelocityNet {
  return new VelocityNet(path, new UNet(unetConfig(shape, rng, opts), rng), opts);
}

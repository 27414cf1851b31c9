/**
 * The eps-parameterised score model: a raw network wrapped in EDM-style preconditioning (Karras et al. 2022,
 * Table 1, adapted to the SDE marginals x_t = a(t) x_0 + s(t) eps of Song et al. 2021):
 *
 *   c_in(t) = 1 / sqrt(a^2 sigma_data^2 + s^2)   (unit-variance network input)
 *   c_noise(t) = t / T                           (the network's time input, in [0, 1])
 *   eps_hat = F(c_in x, c_noise),  score(x, t) = -eps_hat / s(t)
 *
 * Predicting eps keeps the network's target at unit scale for every t, and -eps_hat / s has the right size at
 * small noise where the score itself is huge (Ho et al. 2020; Song et al. 2021, eq. 7 with lambda = s^2).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, checkTensor, fail } from "../tensor";
import type { SDE, ScoreFn, ScoreModel } from "../sde/types";
import { MLP, MLPOptions, mlpConfig } from "./mlp";
import type { Network, NetworkConfig } from "./network";
import { UNet, UNetOptions, unetConfig } from "./unet";
import { Marginal, Preconditioning, ScoreParam, checkMarginal, checkScoreParam, preconditioning } from "./parameterisation";
import { networkKind } from "./network-table";
import { labelTensor, type Labels } from "./labels";

export interface ScoreNetConfig {
  network: NetworkConfig;
  /** Assumed std of the data per coordinate, for c_in (default 1: standardise data first). */
  sigmaData: number;
  /** What the network predicts (parameterisation.ts; default "eps", the file comment's). */
  param: ScoreParam;
}

/** Which weights evaluate the network: the trained ones or their exponential moving average. */
export type WeightSet = "raw" | "ema";

/** Builds the network a config describes (weights drawn from `rng`; loading overwrites them). */
export function buildNetwork(config: NetworkConfig, rng: Rng): Network {
  if (config === null || typeof config !== "object") fail("buildNetwork", "config", "must be a network config object {kind, shape, ...}");
  return networkKind(config.kind, "buildNetwork", "config.kind").fromConfig(config, rng);
}

/** A trainable score model (ScoreModel) with EMA weights; see the file comment for the parameterisation. */
export class ScoreNet implements ScoreModel {
  readonly sde: SDE;
  readonly net: Network;
  readonly config: ScoreNetConfig;
  /** EMA copies of `variables` (same order), made by the first training with EMA on; null before. */
  ema: tf.Variable[] | null = null;
  /** Whether `score` uses the EMA weights. trainScore sets it when it kept an EMA (the default). */
  useEma = false;

  /** @example const model = new ScoreNet(vpSDE(), new MLP(mlpConfig([2], rng), rng)); */
  constructor(sde: SDE, net: Network, opts: { sigmaData?: number; param?: ScoreParam } = {}) {
    if (!sde || typeof sde.marginal !== "function") fail("ScoreNet", "sde", "must be an SDE (see src/sde)");
    if (!net || typeof net.apply !== "function") fail("ScoreNet", "net", "must be a Network (MLP or UNet)");
    const sigmaData = checkNumber(opts.sigmaData ?? 1, "opts.sigmaData", "ScoreNet", { gt: 0 });
    this.sde = sde;
    this.net = net;
    const param = checkScoreParam(opts.param ?? "eps", "ScoreNet", "opts.param");
    this.config = { network: net.config, sigmaData, param };
  }

  get variables(): tf.Variable[] { return this.net.variables; }
  get names(): string[] { return this.net.names; }
  /** Shape of one sample. */
  get shape(): number[] { return this.net.config.shape; }

  /** The weights `which` names (EMA falls back to raw when none was kept). */
  weights(which: WeightSet = this.useEma ? "ema" : "raw"): tf.Tensor[] {
    return which === "ema" && this.ema ? this.ema : this.variables;
  }

  /**
   * The predicted noise eps_hat(x, t): x [n, ...shape], t [n]; `marginal` is the SDE's at t when the caller has it
   * (sde.marginal(t), computed here otherwise).
   * @example const e = model.epsilon(x, t); // like x
   */
  epsilon(x: tf.Tensor, t: tf.Tensor, which?: WeightSet, labels?: Labels, marginal?: Marginal): tf.Tensor {
    this.checkInput(x, t, "ScoreNet.epsilon", marginal);
    const classes = this.classes;
    if (labels !== undefined && !classes) fail("ScoreNet.epsilon", "labels", "must be omitted: the network is not class-conditional (build it with opts.classes)");
    // Other parameterisations: eps_hat = -s score (Tweedie), whatever the network predicts.
    if (this.config.param !== "eps") {
      return tf.tidy(() => {
        const m = marginal ?? this.sde.marginal(t);
        return tf.mul(tf.neg(this.scoreWith(x, t, which, labels, m)), this.rowStd(x, m));
      });
    }
    const y = labels !== undefined && classes ? labelTensor(labels, x.shape[0], classes, "ScoreNet.epsilon", "labels") : undefined;
    return tf.tidy(() => {
      const { scale, std } = marginal ?? this.sde.marginal(t);
      const sd2 = this.config.sigmaData ** 2;
      const cin = tf.rsqrt(tf.add(tf.mul(tf.square(scale), sd2), tf.square(std)));
      const rowShape = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
      const out = this.net.apply(tf.mul(x, tf.reshape(cin, rowShape)), tf.div(t, this.sde.T), this.weights(which), y);
      y?.dispose();
      return out;
    });
  }

  /** The number of classes of a class-conditional network, or undefined. */
  get classes(): number | undefined { return this.net.config.classes; }

  /** The score -eps_hat / s(t), with the current weight set (EMA after training). A ScoreFn. */
  readonly score: ScoreFn = (x, t) => this.scoreWith(x, t);

  /**
   * The score with a chosen weight set and, for a class-conditional network, labels (one class, one per row, or
   * null: unconditional; omitted means null), from one marginal of the SDE at t (`marginal`, or computed here).
   * @example const s = model.scoreWith(x, t, "raw"); const sc = model.scoreWith(x, t, undefined, 3);
   */
  scoreWith(x: tf.Tensor, t: tf.Tensor, which?: WeightSet, labels?: Labels, marginal?: Marginal): tf.Tensor {
    // The eps score is -eps_hat / s: its input errors name ScoreNet.epsilon, as they always have.
    const eps = this.config.param === "eps";
    this.checkInput(x, t, eps ? "ScoreNet.epsilon" : "ScoreNet.score", marginal);
    return tf.tidy(() => {
      const m = marginal ?? this.sde.marginal(t);
      if (eps) return tf.div(tf.neg(this.epsilon(x, t, which, labels, m)), this.rowStd(x, m));
      const { F, p } = this.output(x, t, which, labels, m);
      return p.score(x, F);
    });
  }

  /**
   * The raw network output F(c_in x, c_noise) of the model's parameterisation, and its preconditioning (for losses).
   * Call inside tf.tidy. The factors of `p` are built when read (the eps parameterisation's own loss reads none).
   * @example const { F, p } = model.output(xt, t); const err = tf.sub(F, p.target(x0, eps));
   */
  output(x: tf.Tensor, t: tf.Tensor, which?: WeightSet, labels?: Labels, marginal?: Marginal): { F: tf.Tensor; p: Preconditioning } {
    this.checkInput(x, t, "ScoreNet.output", marginal);
    const m = marginal ?? this.sde.marginal(t);
    const p = preconditioning(this.config.param, this.sde, t, this.config.sigmaData, x.shape, m);
    if (this.config.param === "eps") return { F: this.epsilon(x, t, which, labels, m), p };
    const classes = this.classes;
    if (labels !== undefined && !classes) fail("ScoreNet.output", "labels", "must be omitted: the network is not class-conditional (build it with opts.classes)");
    const y = labels !== undefined && classes ? labelTensor(labels, x.shape[0], classes, "ScoreNet.output", "labels") : undefined;
    return { F: this.net.apply(tf.mul(x, p.cIn), p.cNoise, this.weights(which), y), p };
  }

  private rowStd(x: tf.Tensor, m: Marginal): tf.Tensor {
    return tf.reshape(m.std, [x.shape[0], ...x.shape.slice(1).map(() => 1)]);
  }

  /**
   * A ScoreFn bound to one weight set, for samplers.
   * @example const s = model.scoreFn("raw"); sampler(s, model.sde, opts);
   */
  scoreFn(which: WeightSet): ScoreFn {
    if (which !== "raw" && which !== "ema") fail("ScoreNet.scoreFn", "which", `must be "raw" or "ema", got ${String(which)}`);
    return (x, t) => this.scoreWith(x, t, which);
  }

  /** Starts (or restarts) the EMA at the current weights. */
  resetEma(): void {
    if (this.ema) tf.dispose(this.ema);
    this.ema = this.variables.map((v) => tf.variable(v, false));
  }

  /**
   * Writes a checkpoint (see checkpoint.ts; `{ format: "safetensors" }` for one PyTorch can read).
   * @example await model.save("runs/gmm");
   */
  async save(dir: string, opts: { format?: "scorelab" | "safetensors" } = {}): Promise<void> {
    const { saveModel } = await import("./checkpoint");
    await saveModel(this, dir, opts);
  }

  /** Frees the variables and EMA copies. */
  dispose(): void {
    this.net.dispose();
    if (this.ema) tf.dispose(this.ema);
    this.ema = null;
  }

  private checkInput(x: tf.Tensor, t: tf.Tensor, fn: string, marginal?: Marginal): void {
    checkTensor(x, "x", fn);
    checkTensor(t, "t", fn);
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    if (x.rank < 2 || size !== this.net.inputSize) fail(fn, "x", `must have shape [n, ${this.shape}] (${this.net.inputSize} elements per row), got [${x.shape}]`);
    if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(fn, "t", `must have shape [${x.shape[0]}] (one time per row of x), got [${t.shape}]`);
    if (marginal !== undefined) checkMarginal(marginal, t, fn);
  }
}

/**
 * An MLP score model for samples of `shape` under `sde`.
 * @example const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 128, depth: 3 });
 */
export function mlpScoreNet(sde: SDE, shape: number[], rng: Rng, opts: MLPOptions & { sigmaData?: number; param?: ScoreParam } = {}): ScoreNet {
  const net = new MLP(mlpConfig(shape, rng, opts), rng);
  return new ScoreNet(sde, net, opts);
}

/**
 * A U-Net score model for one-channel images of `shape` ([H, W] or [H, W, 1]) under `sde`.
 * @example const model = unetScoreNet(vpSDE(), [8, 8], new Rng(0), { channels: 8 });
 */
export function unetScoreNet(sde: SDE, shape: number[], rng: Rng, opts: UNetOptions & { sigmaData?: number; param?: ScoreParam } = {}): ScoreNet {
  const net = new UNet(unetConfig(shape, rng, opts), rng);
  return new ScoreNet(sde, net, opts);
}

/** Flow-matching training (velocity-net.ts's loss) on the one training loop, src/train/trainer.ts. */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkFiniteTensor, checkLongWork, checkNumber, checkPositiveInt, checkTensor, fail, type LongWorkOptions } from "../tensor";
import { EpochBatches, runTrainer, type PowerEma, type TrainerResult } from "../train";
import { VelocityNet, flowMatchingLoss } from "./velocity-net";

export interface TrainVelocityOptions extends LongWorkOptions {
  steps: number;
  rng: Rng;
  /** Mini-batch size (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** EMA decay in [0, 1) (default 0.999); 0 keeps none. */
  ema?: number;
  /** Max global gradient norm (default 1); Infinity turns clipping off. */
  clipNorm?: number;
  /** Report every this many steps and at the last (default 1). */
  every?: number;
  /** Power-function EMAs with snapshots (src/train/phema.ts). */
  phema?: PowerEma;
}

/**
 * Trains `model` in place by conditional flow matching on `data` [n, ...shape]: each step draws a batch (shuffled
 * epochs), t ~ U[tMin, T] and eps ~ N(0, I), and regresses v(x_t, t) on a' x_0 + s' eps (Lipman et al. 2023,
 * Algorithm 1 in our time direction; Tong et al. 2023, Algorithm 1 with sigma = 0). Adam, clipping, EMA,
 * the finite check, progress and abort are runTrainer's.
 * @example const { history } = await trainVelocity(mlpVelocityNet(otPath(), [2], rng), data, { steps: 2000, rng });
 */
export async function trainVelocity(model: VelocityNet, data: tf.Tensor, opts: TrainVelocityOptions): Promise<TrainerResult & { model: VelocityNet }> {
  const fn = "trainVelocity";
  if (!(model instanceof VelocityNet)) fail(fn, "model", "must be a VelocityNet (mlpVelocityNet or unetVelocityNet)");
  checkTensor(data, "data", fn);
  if (data.rank < 2 || data.shape[0] < 1 || data.size / data.shape[0] !== model.net.inputSize) fail(fn, "data", `must have shape [n, ${model.shape}] with n >= 1, got [${data.shape}]`);
  checkFiniteTensor(data, "data", fn);
  if (!opts || typeof opts !== "object") fail(fn, "opts", "must be an options object {steps, rng, ...}");
  const steps = checkPositiveInt(opts.steps, "opts.steps", fn);
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng (all randomness is seeded)");
  const batchSize = checkPositiveInt(opts.batchSize ?? 128, "opts.batchSize", fn);
  const lr = checkNumber(opts.lr ?? 1e-3, "opts.lr", fn, { gt: 0 });
  const ema = checkNumber(opts.ema ?? 0.999, "opts.ema", fn, { min: 0, lt: 1 });
  const clipNorm = opts.clipNorm === Infinity ? Infinity : checkNumber(opts.clipNorm ?? 1, "opts.clipNorm", fn, { gt: 0 });
  const every = checkPositiveInt(opts.every ?? 1, "opts.every", fn);
  checkLongWork(opts, fn);
  const { rng } = opts;
  const { tMin, T } = model.path;
  if (ema > 0 && !model.ema) model.resetEma();
  const batches = new EpochBatches(data.shape[0], rng);
  const r = await runTrainer({
    fn, variables: model.variables, steps, lr, clipNorm, every, onStep: opts.onStep, signal: opts.signal, phema: opts.phema,
    ema: ema > 0 && model.ema ? { vars: model.ema, decay: ema } : null,
    batch: () => {
      const x0 = tf.gather(data, tf.tensor1d(batches.next(batchSize), "int32"));
      const t = rng.uniform([batchSize], tMin, T);
      const eps = rng.normal([batchSize, ...data.shape.slice(1)]);
      return () => flowMatchingLoss(model, x0, t, eps);
    },
  });
  if (ema > 0) model.useEma = true;
  return { model, ...r };
}

/** Flow-matching training (velocity-net.ts's loss) on the one training loop, src/train/trainer.ts. */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkFiniteTensor, checkTensor, fail } from "../tensor";
import { EpochBatches, runTrainer, trainSettings, type TrainerResult } from "../train";
import type { TrainOptions } from "../score";
import { VelocityNet, flowMatchingLoss } from "./velocity-net";

/** trainScore's options that flow matching shares (src/score/train.ts): steps, rng, batch, Adam, EMA, clipping, phema. */
export type TrainVelocityOptions = Pick<TrainOptions, "steps" | "rng" | "batchSize" | "lr" | "ema" | "clipNorm" | "every" | "phema" | "onStep" | "signal">;

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
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng (all randomness is seeded)");
  const { steps, batchSize, lr, ema, clipNorm, every } = trainSettings(opts, fn);
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

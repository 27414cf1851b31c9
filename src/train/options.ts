/**
 * The optimiser options that every training function built on runTrainer takes, checked once: steps, batch size,
 * learning rate, EMA decay, gradient clipping, progress interval and the long-work options.
 */
import { checkLongWork, checkNumber, checkPositiveInt, type LongWorkOptions } from "../tensor";

export interface TrainOptionsIn extends LongWorkOptions {
  steps?: number;
  batchSize?: number;
  lr?: number;
  ema?: number;
  clipNorm?: number;
  every?: number;
}

export interface TrainSettings { steps: number; batchSize: number; lr: number; ema: number; clipNorm: number; every: number }

/**
 * Checks the shared options of `fn` (defaults: batch 128, lr 1e-3, EMA 0.999, clip 1, progress every step).
 * @example const { steps, lr } = trainSettings(opts, "trainVelocity");
 */
export function trainSettings(opts: TrainOptionsIn, fn: string): TrainSettings {
  const steps = checkPositiveInt(opts.steps, "opts.steps", fn);
  const batchSize = checkPositiveInt(opts.batchSize ?? 128, "opts.batchSize", fn);
  const lr = checkNumber(opts.lr ?? 1e-3, "opts.lr", fn, { gt: 0 });
  const ema = checkNumber(opts.ema ?? 0.999, "opts.ema", fn, { min: 0, lt: 1 });
  const clipNorm = opts.clipNorm === Infinity ? Infinity : checkNumber(opts.clipNorm ?? 1, "opts.clipNorm", fn, { gt: 0 });
  const every = checkPositiveInt(opts.every ?? 1, "opts.every", fn);
  checkLongWork(opts, fn);
  return { steps, batchSize, lr, ema, clipNorm, every };
}

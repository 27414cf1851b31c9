/**
 * %train_score: builds a score network (MLP or U-Net, src/score) and trains it by denoising score matching
 * (trainScore) with a progress bar. An interrupt stops training at the next step; the model keeps what it
 * learned. The result is the ScoreNet itself, carrying a `training` record (loss history, steps, data).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../tensor";
import { cosineSchedule, geometricSchedule, linearSchedule, makeSDE, type NoiseSchedule, type SDEKind } from "../sde";
import { SCORE_PARAMS, TRAINING_NOISE, mlpScoreNet, trainScore, unetScoreNet, type ScoreNet, type ScoreParam, type TrainingNoise } from "../score";
import { trainingCurveFigure, toMimeBundle } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { progressReporter } from "./progress";
import { dataTensorOf, notebookValue } from "./notebook-vars";

/** What %train_score adds to the model it returns. */
export interface TrainingRecord {
  /** Loss per completed step. */
  history: number[];
  /** Steps completed and steps asked for. */
  steps: number;
  total: number;
  /** Whether an interrupt stopped training early. */
  stopped: boolean;
  seconds: number;
  /** The training data (not copied: the notebook's tensor), for plots next to samples. */
  data: tf.Tensor;
  /** The flag value the data came from (a variable name, or "(value)"). */
  dataName: string;
}

/** A ScoreNet trained by %train_score. */
export type TrainedScoreNet = ScoreNet & { training: TrainingRecord };

function schedule(name: unknown): NoiseSchedule | undefined {
  if (name === undefined) return undefined;
  if (name === "linear") return linearSchedule();
  if (name === "cosine") return cosineSchedule();
  return geometricSchedule();
}

export const trainScoreMagic = defineMagic<TrainedScoreNet>({
  name: "train_score",
  summary: "build an MLP or U-Net score network and train it by denoising score matching, with a progress bar",
  options: [
    { flags: "--data <var>", description: "notebook variable: a dataset from %dataset or a tensor [n, ...]" },
    { flags: "--sde <kind>", description: "forward SDE", default: "vp", choices: ["vp", "ve", "subvp"] },
    { flags: "--schedule <name>", description: "noise schedule (default: linear for vp/subvp, geometric for ve)", choices: ["linear", "cosine", "geometric"] },
    { flags: "--net <kind>", description: "network: mlp (any data) or unet (one-channel images with even H, W)", default: "mlp", choices: ["mlp", "unet"] },
    { flags: "--width <w>", description: "MLP hidden width, or U-Net channels (default 128 for mlp, 16 for unet)", kind: "positive-int" },
    { flags: "--depth <d>", description: "MLP hidden layers (ignored by unet)", kind: "positive-int", default: 3 },
    { flags: "--param <p>", description: "what the network predicts: eps (noise), x0 (data), v, or edm (Karras et al. 2022 preconditioning)", default: "eps", choices: [...SCORE_PARAMS] },
    { flags: "--noise <law>", description: "training noise: uniform in t, or lognormal in sigma (EDM: ln sigma ~ N(-1.2, 1.2^2))", default: "uniform", choices: [...TRAINING_NOISE] },
    { flags: "--steps <k>", description: "optimizer steps", kind: "positive-int", default: 1000 },
    { flags: "--batch <b>", description: "mini-batch size", kind: "positive-int", default: 128 },
    { flags: "--lr <lr>", description: "Adam learning rate", kind: "number", default: 1e-3 },
    { flags: "--ema <decay>", description: "EMA decay of the weights in [0, 1); 0 keeps none", kind: "number", default: 0.999 },
    { flags: "--seed <s>", description: "seed of weights and batches (default: drawn from the session rng)", kind: "int" },
    { flags: "--no-plot", description: "do not show the training curve" },
  ],
  help: "Example: %train_score --data moons --sde vp --steps 2000 --width 128 --as model\n" +
    "Interrupt (the kernel's stop button) ends training at the next step and keeps the model; the loss history is model.training.history.",
  async run({ opts }, ctx) {
    const dataName = typeof opts.data === "string" ? opts.data : "(value)";
    const x = dataTensorOf(notebookValue(ctx, "train_score", "--data", opts.data), "train_score", `--data '${dataName}'`);
    if (x.rank < 2 || x.shape[0] < 1) throw new MagicError(`%train_score: --data '${dataName}' must be a tensor [n, ...] with n >= 1, got [${x.shape}]`);
    const sde = makeSDE(opts.sde as SDEKind, { schedule: schedule(opts.schedule) });
    const rng = opts.seed !== undefined ? new Rng(opts.seed as number) : ctx.rng.split();
    const unet = opts.net === "unet";
    const item = x.shape.slice(1);
    // The U-Net takes [H, W]; datasets hold images as [1, H, W].
    const shape = unet && item.length === 3 && item[0] === 1 ? item.slice(1) : item;
    const model = unet
      ? unetScoreNet(sde, shape, rng.fork(1), { channels: (opts.width as number | undefined) ?? 16, param: opts.param as ScoreParam })
      : mlpScoreNet(sde, shape, rng.fork(1), { width: (opts.width as number | undefined) ?? 128, depth: opts.depth as number, param: opts.param as ScoreParam });
    const data = shape === item ? x : tf.reshape(x, [x.shape[0], ...shape]);
    const total = opts.steps as number;
    const bar = progressReporter(ctx.display, "%train_score");
    let result: Awaited<ReturnType<typeof trainScore>>;
    try {
      result = await trainScore(model, data, {
        steps: total, rng: rng.fork(2), batchSize: opts.batch as number, lr: opts.lr as number, ema: opts.ema as number,
        noise: opts.noise as TrainingNoise, signal: ctx.signal, onStep: (p) => bar.report({ step: p.step, total, loss: p.loss }),
      });
    } catch (e) {
      bar.done("failed");
      model.dispose();
      throw e;
    } finally {
      if (data !== x) data.dispose();
    }
    const { history, steps, stopped, seconds } = result;
    bar.done(stopped ? `interrupted at step ${steps} of ${total}` : "");
    const trained = Object.assign(model, { training: { history, steps, total, stopped, seconds, data: x, dataName } }) as TrainedScoreNet;
    const net = unet ? `unet (${model.config.network.kind === "unet" ? model.config.network.channels : ""} channels)` : `mlp (width ${(model.config.network as { width: number }).width}, depth ${opts.depth})`;
    const last = history.length ? `, last loss ${history[history.length - 1].toPrecision(4)}` : "";
    ctx.print(stopped
      ? `%train_score interrupted at step ${steps} of ${total}; the model keeps what it learned in ${steps} steps${last}`
      : `trained ${net}, ${opts.param} parameterisation, on ${dataName} [${x.shape}] under ${sde.describe()}: ${steps} steps in ${seconds.toFixed(1)} s${last}`);
    if (opts.plot !== false && history.length > 0) ctx.display(toMimeBundle(trainingCurveFigure(history, { title: `DSM loss, ${opts.sde} SDE, ${net}` })));
    return trained;
  },
});

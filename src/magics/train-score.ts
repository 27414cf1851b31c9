/**
 * %train_score: builds a score network (MLP or U-Net, src/score) and trains it by denoising score matching
 * (trainScore) with a progress bar. An interrupt stops training at the next step; the model keeps what it
 * learned. The result is the ScoreNet itself, carrying a `training` record (loss history, steps, data).
 */
import * as tf from "@tensorflow/tfjs";
import { SCHEDULE_NAMES, SDE_KIND_NAMES, makeSDE, scheduleNamed, type NoiseSchedule, type SDEKind } from "../sde";
import { SCORE_PARAMS, TRAINING_NOISE, ScoreNet, trainScore, type ScoreParam, type TrainingNoise } from "../score";
import { NETWORKS } from "../score/network-table";
import { trainingCurveFigure, toMimeBundle } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { progressReporter } from "./progress";
import { trainingFlags, trainingInput } from "./training-data";

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
  return name === undefined ? undefined : scheduleNamed(String(name), "%train_score", "--schedule");
}

export const trainScoreMagic = defineMagic<TrainedScoreNet>({
  name: "train_score",
  summary: "build an MLP or U-Net score network and train it by denoising score matching, with a progress bar",
  options: [
    { flags: "--sde <kind>", description: "forward SDE", default: "vp", choices: SDE_KIND_NAMES },
    { flags: "--schedule <name>", description: "noise schedule (default: linear for vp/subvp, geometric for ve)", choices: SCHEDULE_NAMES },
    ...trainingFlags,
    { flags: "--param <p>", description: "what the network predicts: eps (noise), x0 (data), v, or edm (Karras et al. 2022 preconditioning)", default: "eps", choices: [...SCORE_PARAMS] },
    { flags: "--noise <law>", description: "training noise: uniform in t, or lognormal in sigma (EDM: ln sigma ~ N(-1.2, 1.2^2))", default: "uniform", choices: [...TRAINING_NOISE] },
    { flags: "--seed <s>", description: "seed of weights and batches (default: drawn from the session rng)", kind: "int" },
    { flags: "--no-plot", description: "do not show the training curve" },
  ],
  help: "Example: %train_score --data moons --sde vp --steps 2000 --width 128 --as model\n" +
    "Interrupt (the kernel's stop button) ends training at the next step and keeps the model; the loss history is model.training.history.",
  async run({ opts }, ctx) {
    const sde = makeSDE(opts.sde as SDEKind, { schedule: schedule(opts.schedule) });
    const { x, dataName, data, shape, net: netName, rng, width } = trainingInput(opts, ctx, "train_score");
    const model = new ScoreNet(sde, NETWORKS[netName].build(shape, rng.fork(1), { width, depth: opts.depth as number }), { param: opts.param as ScoreParam });
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
    const net = NETWORKS[netName].describe(model.config.network);
    const last = history.length ? `, last loss ${history[history.length - 1].toPrecision(4)}` : "";
    ctx.print(stopped
      ? `%train_score interrupted at step ${steps} of ${total}; the model keeps what it learned in ${steps} steps${last}`
      : `trained ${net}, ${opts.param} parameterisation, on ${dataName} [${x.shape}] under ${sde.describe()}: ${steps} steps in ${seconds.toFixed(1)} s${last}`);
    if (opts.plot !== false && history.length > 0) ctx.display(toMimeBundle(trainingCurveFigure(history, { title: `DSM loss, ${opts.sde} SDE, ${net}` })));
    return trained;
  },
});

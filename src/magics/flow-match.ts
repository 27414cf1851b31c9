/**
 * %flow_match: builds an MLP or U-Net velocity network on a probability path (conditional OT or VP,
 * src/flow-matching) and trains it by conditional flow matching, with a progress bar; optionally draws samples by
 * the ODE. A magic of its own rather than a %train_score flag: its model is a VelocityNet on a path, not a
 * ScoreNet on an SDE, and it samples with its own ODE. The result is the VelocityNet with a `training` record and,
 * with --sample, the samples.
 */
import * as tf from "@tensorflow/tfjs";
import { VelocityNet, otPath, sampleFlow, trainVelocity, vpPath } from "../flow-matching";
import { NETWORKS } from "../score/network-table";
import { trainingCurveFigure, toMimeBundle } from "../plot";
import { defineMagic, MagicError } from "./spec";
import { progressReporter } from "./progress";
import { trainingFlags, trainingInput } from "./training-data";

/** A VelocityNet trained by %flow_match. */
export type TrainedVelocityNet = VelocityNet & {
  training: { history: number[]; steps: number; total: number; stopped: boolean; seconds: number; dataName: string };
  /** Samples drawn with --sample (the notebook owns them), or null. */
  samples: tf.Tensor | null;
};

export const flowMatchMagic = defineMagic<TrainedVelocityNet>({
  name: "flow_match",
  summary: "train an MLP or U-Net velocity network by flow matching on the OT or VP path, and sample by its ODE",
  options: [
    ...trainingFlags.slice(0, 1),
    { flags: "--path <kind>", description: "probability path: ot (rectified flow) or vp", default: "ot", choices: ["ot", "vp"] },
    ...trainingFlags.slice(1),
    { flags: "--sample <n>", description: "draw this many samples after training (0: none)", kind: "int", default: 0 },
    { flags: "--ode-steps <k>", description: "ODE steps for --sample", kind: "positive-int", default: 50 },
    { flags: "--method <m>", description: "ODE integrator for --sample", default: "heun", choices: ["euler", "heun", "rk4"] },
    { flags: "--seed <s>", description: "seed of weights, batches and samples (default: drawn from the session rng)", kind: "int" },
    { flags: "--no-plot", description: "do not show the training curve" },
  ],
  help: "Example: %flow_match --data moons --path ot --steps 2000 --sample 512 --as fm\n" +
    "fm.velocity and fm.score are functions for lab.flowMatching.sampleFlow and for every score sampler (on --path vp, with fm.path.sde).",
  async run({ opts }, ctx) {
    if ((opts.sample as number) < 0) throw new MagicError(`%flow_match: --sample must be >= 0, got ${opts.sample}`);
    const path = opts.path === "vp" ? vpPath() : otPath();
    const { x, dataName, data, shape, net, rng, width } = trainingInput(opts, ctx, "flow_match");
    const model = new VelocityNet(path, NETWORKS[net].build(shape, rng.fork(1), { width, depth: opts.depth as number }));
    const total = opts.steps as number;
    const bar = progressReporter(ctx.display, "%flow_match");
    let samples: tf.Tensor | null = null;
    try {
      const r = await trainVelocity(model, data, {
        steps: total, rng: rng.fork(2), batchSize: opts.batch as number, lr: opts.lr as number, ema: opts.ema as number,
        signal: ctx.signal, onStep: (p) => bar.report({ step: p.step, total, loss: p.loss }),
      });
      bar.done(r.stopped ? `interrupted at step ${r.steps} of ${total}` : "");
      const last = r.history.length ? `, last loss ${r.history[r.history.length - 1].toPrecision(4)}` : "";
      ctx.print(`trained ${opts.net} velocity net on ${dataName} [${x.shape}] along the ${path.describe()}: ${r.steps} of ${total} steps in ${r.seconds.toFixed(1)} s${last}`);
      if (opts.plot !== false && r.history.length > 0) ctx.display(toMimeBundle(trainingCurveFigure(r.history, { title: `flow-matching loss, ${opts.path} path` })));
      if ((opts.sample as number) > 0 && !r.stopped) {
        samples = await sampleFlow(model.velocity, path, { n: opts.sample as number, steps: opts.odeSteps as number, method: opts.method as "heun", rng: rng.fork(3), shape, signal: ctx.signal }) as tf.Tensor;
        ctx.print(`drew ${opts.sample} samples with ${opts.odeSteps} ${opts.method} steps (model.samples)`);
      }
      return Object.assign(model, { training: { history: r.history, steps: r.steps, total, stopped: r.stopped, seconds: r.seconds, dataName }, samples });
    } catch (e) {
      bar.done("failed");
      model.dispose();
      throw e;
    } finally {
      if (data !== x) data.dispose();
    }
  },
});

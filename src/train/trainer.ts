/**
 * The one training loop of scorelab: Adam (Kingma & Ba 2015), gradient clipping by global norm (Pascanu et al.
 * 2013), an EMA of the weights, progress, abort, and a finite check BEFORE each update. DSM training, the
 * alternative objective, discriminators and fusion's weight fits are each a loss on this loop, so a fix lands once.
 *
 * Divergence: each step reads its loss and gradient norm (one small sync) before the update. When either is NaN
 * or infinite, nothing is applied, the weights are restored to the last ones that gave a finite loss and the loop
 * throws an Error naming the step; a diverged model is never left behind. Interrupts follow the long-work contract
 * (src/tensor/long-work.ts): the loop stops before the next step and returns with `stopped: true`, the weights
 * keeping what they learned.
 */
import * as tf from "@tensorflow/tfjs";
import { FusedAdam, Yielder, fail, fusedAdamAvailable, type LongWorkOptions } from "../tensor";
import { clipByGlobalNorm } from "./clip";
import { emaDecayAt, updateEma } from "./ema";
import { PowerEma } from "./phema";

export interface TrainerOptions extends LongWorkOptions {
  /** The public function training, named in errors. */
  fn: string;
  /** The trainable weights (float32 variables). */
  variables: tf.Variable[];
  /** Optimiser steps (>= 1; the caller validates). */
  steps: number;
  /**
   * Draws step `step`'s batch (from the caller's Rng, inside tf.tidy) and returns the loss to differentiate:
   * drawing outside the returned function keeps the batch off the gradient tape.
   */
  batch: (step: number) => () => tf.Scalar;
  /** Adam learning rate, betas (0.9, 0.999) and epsilon (default tf.train.adam's: the backend's epsilon). */
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Max global gradient norm (default Infinity: no clipping). */
  clipNorm?: number;
  /** An EMA of the weights, updated after each step with decay warmed up as emaDecayAt(decay, step). */
  ema?: { vars: tf.Variable[]; decay: number } | null;
  /** Power-function EMAs with snapshots for post-hoc EMA (src/train/phema.ts), updated after each applied step. */
  phema?: PowerEma | null;
  /** Report every this many steps and at the last (default 1). */
  every?: number;
  /** Yield to the event loop every this many steps (default 5), so interrupts and progress output land. */
  yieldEvery?: number;
  /** The option that sets the learning rate, named in the divergence error (default "opts.lr"). */
  lrOption?: string;
}

export interface TrainerResult {
  /** Loss per step done. */
  history: number[];
  /** Steps done. */
  steps: number;
  /** Whether the signal stopped training early. */
  stopped: boolean;
  seconds: number;
}

type StepRead = { loss: number; norm: number; ok: boolean; emaDone: boolean };

/**
 * Runs `steps` Adam steps on `variables` with the loss `batch(step)()`; reports {step, total, loss, gradNorm}
 * (gradNorm before clipping).
 * @example
 * const { history } = await runTrainer({ fn: "myTrainer", variables: net.variables, steps: 100, lr: 1e-3,
 *   batch: () => { const x = rng.normal([64, 2]); return () => myLoss(net, x); } });
 */
export async function runTrainer(o: TrainerOptions): Promise<TrainerResult> {
  const vars = o.variables;
  const clipNorm = o.clipNorm ?? Infinity;
  const every = o.every ?? 1;
  const beta1 = o.beta1 ?? 0.9, beta2 = o.beta2 ?? 0.999;
  // tf.train.adam resolves a missing epsilon to the backend's; resolving it here makes both paths below agree.
  const epsilon = o.epsilon ?? tf.backend().epsilon();
  const ema = o.ema ?? null;
  const phema = o.phema ?? null;
  if (phema !== null && !(phema instanceof PowerEma)) fail(o.fn, "opts.phema", "must be a PowerEma (new PowerEma(model.variables, { stds, every }))");
  phema?.checkWeights(vars, o.fn, "opts.phema");
  // On wasm with the OpenBLAS addon, clipping, Adam and the EMA are one kernel per step (src/tensor/fused-adam.ts);
  // elsewhere the same arithmetic runs as tfjs ops.
  const fused = fusedAdamAvailable() && vars.every((v) => v.dtype === "float32") ? new FusedAdam(vars, { lr: o.lr, beta1, beta2, epsilon }) : null;
  const optimizer = fused ? null : tf.train.adam(o.lr, beta1, beta2, epsilon);
  const yielder = new Yielder(o.yieldEvery ?? 5);
  const history: number[] = [];
  let snapshot: tf.Tensor[] = [];
  // The weights just gave a finite loss: they are the ones to restore if a later step diverges.
  const keepSnapshot = () => { tf.dispose(snapshot); snapshot = vars.map((v) => tf.keep(tf.clone(v))); };
  const started = performance.now();
  let step = 0;
  let stopped = false;
  try {
    for (; step < o.steps; step++) {
      if (o.signal?.aborted) { stopped = true; break; }
      const read = tf.tidy((): StepRead => {
        const { value, grads } = tf.variableGrads(o.batch(step), vars);
        const ordered = vars.map((v) => grads[v.name]);
        if (fused) {
          const loss = value.dataSync()[0];
          const norm = fused.globalNorm(ordered);
          const ok = Number.isFinite(loss) && Number.isFinite(norm);
          if (ok) {
            keepSnapshot();
            // The factor of clipByGlobalNorm (clip.ts): 1e-6 keeps it finite for an all-zero gradient.
            const factor = clipNorm === Infinity ? 1 : Math.min(1, clipNorm / (norm + 1e-6));
            fused.apply(ordered, factor, ema ? { vars: ema.vars, decay: emaDecayAt(ema.decay, step) } : undefined);
          }
          return { loss, norm, ok, emaDone: true };
        }
        const clipped = clipByGlobalNorm(ordered, clipNorm);
        const finite = tf.all(tf.isFinite(tf.stack([value, clipped.norm])));
        // One small read per step: it is what lets a NaN stop before it is applied.
        const [loss, norm, ok] = tf.concat([tf.stack([value, clipped.norm]), tf.cast(tf.reshape(finite, [1]), "float32")]).dataSync();
        if (ok) {
          keepSnapshot();
          optimizer!.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: clipped.grads[i] })));
        }
        return { loss, norm, ok: ok === 1, emaDone: false };
      });
      if (!read.ok || !Number.isFinite(read.loss)) {
        if (snapshot.length) vars.forEach((v, i) => v.assign(snapshot[i]));
        const clipHint = clipNorm === Infinity ? "" : ", or opts.clipNorm";
        throw new Error(`${o.fn}: the loss became ${read.loss} (gradient norm ${read.norm}) at step ${step + 1}; training stopped and the weights were restored to the last ones with a finite loss (try a smaller ${o.lrOption ?? "opts.lr"}, currently ${o.lr}${clipHint})`);
      }
      history.push(read.loss);
      if (ema && !read.emaDone) updateEma(ema.vars, vars, emaDecayAt(ema.decay, step));
      phema?.update(vars);
      if (o.onStep && ((step + 1) % every === 0 || step + 1 === o.steps)) {
        o.onStep({ step: step + 1, total: o.steps, loss: read.loss, gradNorm: read.norm });
      }
      await yielder.tick();
    }
  } finally {
    tf.dispose(snapshot);
    optimizer?.dispose();
    fused?.dispose();
  }
  return { history, steps: step, stopped, seconds: (performance.now() - started) / 1000 };
}

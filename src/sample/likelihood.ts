/**
 * Log-likelihood through the probability-flow ODE (Song et al. 2021, Sec. 4.3 and Appendix D.2; FFJORD's
 * instantaneous change of variables, Grathwohl et al. 2019): along dx/dt = F(x, t) = f - g^2 s / 2,
 * log p_tMin(x) = log p_T(x_T) + int_tMin^T div F(x_t, t) dt. The integrator takes any velocity field
 * (odeLogLikelihood), so flow-matching velocities share it; div F is taken by autodiff of F itself (for the
 * probability flow, d c(t) - g^2 div s / 2 since the drift is linear, f = c(t) x).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, Yielder, abortError, checkFiniteTensor, checkLongWork, checkNumber, checkSteps, checkTensor, fail, type LongWorkOptions } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";
import type { GridSpec } from "../sde";
import { checkSDEArg } from "./loop";
import { noiseGrid } from "./grids";
import { flowVelocity } from "./heun";

export interface LikelihoodOptions extends LongWorkOptions {
  /** Fixed steps from tMin to T (default 100). */
  steps?: number;
  /** "rk4" (default, 4 score evaluations a step) or "heun" (2). */
  method?: "rk4" | "heun";
  /** "exact": one gradient per dimension; "hutchinson": E[z^T J z] with probes; default exact for d <= 16. */
  divergence?: "exact" | "hutchinson";
  /** Hutchinson probes per sample, fixed along the path (default 1). */
  probes?: number;
  /** Probe law (default "rademacher", the lower-variance one). */
  probe?: "rademacher" | "gaussian";
  /** Needed for Hutchinson. */
  rng?: Rng;
  /**
   * Where the steps fall (logLikelihood only: an ODE without an SDE has no noise level): a sampler's noise grid
   * (src/sample/grids.ts: "uniform", "karras", "logsnr" or descending times) walked from tMin up to T. Default uniform.
   */
  grid?: GridSpec;
}

export interface LikelihoodResult {
  /** log p(x) per sample, in nats. */
  logp: Float64Array;
  /** -log p(x) / (d ln 2) per sample (continuous density: no dequantization offset). */
  bitsPerDim: Float64Array;
  meanLogp: number;
  meanBitsPerDim: number;
}

/** An ODE dx/dt = velocity(x, t) on [tMin, T] whose end law at T has the log-density priorLogProb. */
export interface LikelihoodODE {
  tMin: number;
  T: number;
  /** x [n, ...] and one time for all rows -> a tensor shaped like x. */
  velocity(x: tf.Tensor, t: number): tf.Tensor;
  /** log p_T per row: x [n, ...] -> [n]. */
  priorLogProb(x: tf.Tensor): tf.Tensor;
}

/**
 * Log-likelihood of samples x [n, ...shape] under the model (score, sde), through the probability-flow ODE
 * integrated with fixed-step RK4 or Heun; divergence exact (d backward passes) or by Hutchinson's estimator.
 * Hutchinson's estimate is unbiased for the divergence at each point, and the result's error is its standard
 * error over probes. Returns per-sample nats and bits/dim.
 * @example const { meanBitsPerDim } = await logLikelihood(model.score, sde, xTest, { steps: 100 });
 */
export async function logLikelihood(score: ScoreFn, sde: SDE, x: tf.Tensor, opts: LikelihoodOptions = {}): Promise<LikelihoodResult> {
  const fn = "logLikelihood";
  if (typeof score !== "function") fail(fn, "score", "must be a score function (x, t) => tensor shaped like x");
  checkSDEArg(sde, fn);
  const ode: LikelihoodODE = { tMin: sde.tMin, T: sde.T, velocity: (u, t) => flowVelocity(score, sde, u, t, fn), priorLogProb: (u) => sde.priorLogProb(u) };
  // Without a grid odeLogLikelihood takes its own uniform steps; with one, the grid's times from tMin up to T.
  const grid = opts?.grid;
  const times = grid === undefined ? undefined : noiseGrid(sde, checkSteps(opts.steps ?? 100, "opts.steps", fn), grid, fn, "opts.grid").reverse();
  return odeLogLikelihood(ode, x, opts, fn, "score", times);
}

/**
 * The instantaneous change of variables for any ODE (Chen et al. 2018, Thm. 1; Grathwohl et al. 2019):
 * log p_tMin(x) = log p_T(x_T) + int_tMin^T div v(x_t, t) dt, with the same integrators, divergence estimators and
 * options as logLikelihood; `fn` names the caller and `field` the argument that gives the velocity, in errors.
 * Flow-matching velocities use it directly.
 * @example const r = await odeLogLikelihood({ tMin: 1e-3, T: 1, velocity, priorLogProb }, x, { steps: 100 });
 */
export async function odeLogLikelihood(ode: LikelihoodODE, x: tf.Tensor, opts: LikelihoodOptions = {}, fn = "odeLogLikelihood", field = "ode.velocity",
  times?: number[]): Promise<LikelihoodResult> {
  if (ode === null || typeof ode !== "object" || typeof ode.velocity !== "function" || typeof ode.priorLogProb !== "function") {
    fail(fn, "ode", "must be { tMin, T, velocity(x, t), priorLogProb(x) }");
  }
  checkNumber(ode.T, "ode.T", fn);
  checkNumber(ode.tMin, "ode.tMin", fn, { min: 0, lt: ode.T });
  checkTensor(x, "x", fn);
  if (x.rank < 2 || x.shape[0] < 1) fail(fn, "x", `must have shape [n, ...dims] with n >= 1, got [${x.shape}]`);
  checkFiniteTensor(x, "x", fn);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const steps = checkSteps(opts.steps ?? 100, "opts.steps", fn);
  if (opts.grid !== undefined && times === undefined) fail(fn, "opts.grid", "needs an SDE's noise levels: use logLikelihood, or leave it out for uniform steps");
  // Ascending integration times tMin = t_0 < ... < t_steps = T (logLikelihood passes its grid's).
  const ts = times ?? Array.from({ length: steps + 1 }, (_, i) => (i === steps ? ode.T : ode.tMin + (i * (ode.T - ode.tMin)) / steps));
  const method = opts.method ?? "rk4";
  if (method !== "rk4" && method !== "heun") fail(fn, "opts.method", `must be "rk4" or "heun", got ${JSON.stringify(method)}`);
  const n = x.shape[0];
  const dims = x.shape.slice(1);
  const d = x.size / n;
  const divergence = opts.divergence ?? (d <= 16 ? "exact" : "hutchinson");
  if (divergence !== "exact" && divergence !== "hutchinson") fail(fn, "opts.divergence", `must be "exact" or "hutchinson", got ${JSON.stringify(divergence)}`);
  const probes = checkNumber(opts.probes ?? 1, "opts.probes", fn, { integer: true, min: 1 });
  const probe = opts.probe ?? "rademacher";
  if (probe !== "rademacher" && probe !== "gaussian") fail(fn, "opts.probe", `must be "rademacher" or "gaussian", got ${JSON.stringify(probe)}`);
  if (divergence === "hutchinson" && !(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng for the Hutchinson divergence");
  checkLongWork(opts, fn);

  // Probes are drawn once and kept along the path (as FFJORD), so the integral is of one smooth estimate.
  // One stream per row, so that the estimate for x_i depends on the seed and i only, not on the batch.
  const zs: tf.Tensor[] = [];
  if (divergence === "hutchinson") {
    const rows = RowRng.from(opts.rng as Rng, n);
    for (let k = 0; k < probes; k++) {
      if (probe === "gaussian") zs.push(rows.normal([n, ...dims]));
      else zs.push(tf.tidy(() => {
        const u = rows.uniform([n, ...dims]);
        return tf.where(tf.less(u, 0.5), tf.fill(u.shape, -1), tf.onesLike(u));
      }));
    }
  }
  const basis = divergence === "exact" ? Array.from({ length: d }, (_, i) => {
    const e = new Float32Array(d);
    e[i] = 1;
    return tf.tensor(e, [1, ...dims]);
  }) : [];

  // The velocities evaluate() keeps past its gradients' tidy: disposed after each step.
  const kept: tf.Tensor[] = [];
  /** F(x, t) and div F(x, t) ([n]). */
  const evaluate = (xx: tf.Tensor, t: number): { v: tf.Tensor; div: tf.Tensor } => {
    const velocity = (u: tf.Tensor) => {
      const out = ode.velocity(u, t);
      if (!(out instanceof tf.Tensor) || out.size !== u.size) fail(fn, field, `must return a tensor shaped like x [${u.shape}]`);
      return out;
    };
    const terms: tf.Tensor[] = [];
    const dirs = divergence === "exact" ? basis : zs;
    let v: tf.Tensor | undefined;
    for (const e of dirs) {
      // valueAndGrad hands back sum(F * e) only; F itself is kept from the first forward pass (gradients' tidy
      // would dispose it), which saves a forward call per evaluation; the step's loop disposes it.
      const { value, grad } = tf.valueAndGrad((u: tf.Tensor) => {
        const out = velocity(u);
        if (v === undefined) kept.push((v = tf.keep(out)));
        return tf.sum(tf.mul(out, e));
      })(xx);
      value.dispose();
      terms.push(tf.sum(tf.reshape(tf.mul(grad, e), [n, d]), 1));
    }
    const div = tf.addN(terms);
    return { v: v as tf.Tensor, div: divergence === "hutchinson" ? tf.div(div, probes) : div };
  };

  let state = tf.clone(x);
  let acc: tf.Tensor = tf.zeros([n]);
  const yielder = new Yielder(8, 10);
  try {
    for (let i = 0; i < steps; i++) {
      if (opts.signal?.aborted) throw abortError(fn, i, steps);
      const t = ts[i];
      const h = ts[i + 1] - t;
      const [xs, as] = [state, acc];
      const next = tf.tidy(() => {
        const k1 = evaluate(xs, t);
        if (method === "heun") {
          const k2 = evaluate(tf.add(xs, tf.mul(k1.v, h)), t + h);
          return [tf.add(xs, tf.mul(tf.add(k1.v, k2.v), h / 2)), tf.add(as, tf.mul(tf.add(k1.div, k2.div), h / 2))];
        }
        const k2 = evaluate(tf.add(xs, tf.mul(k1.v, h / 2)), t + h / 2);
        const k3 = evaluate(tf.add(xs, tf.mul(k2.v, h / 2)), t + h / 2);
        const k4 = evaluate(tf.add(xs, tf.mul(k3.v, h)), t + h);
        const comb = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor) => tf.mul(tf.addN([a, tf.mul(b, 2), tf.mul(c, 2), e]), h / 6);
        return [tf.add(xs, comb(k1.v, k2.v, k3.v, k4.v)), tf.add(as, comb(k1.div, k2.div, k3.div, k4.div))];
      });
      tf.dispose([xs, as, ...kept.splice(0)]);
      [state, acc] = next;
      opts.onStep?.({ step: i + 1, total: steps, t: t + h });
      await yielder.tick();
    }
    const logpT = tf.tidy(() => tf.add(ode.priorLogProb(state), acc));
    const logp = Float64Array.from(await logpT.data());
    logpT.dispose();
    const bitsPerDim = logp.map((v) => -v / (d * Math.LN2));
    const mean = (a: Float64Array) => a.reduce((p, q) => p + q, 0) / a.length;
    return { logp, bitsPerDim, meanLogp: mean(logp), meanBitsPerDim: mean(bitsPerDim) };
  } finally {
    tf.dispose([state, acc, ...zs, ...basis, ...kept]);
  }
}

/**
 * The score-difference (SD) flow of Weber (2023), "The Score-Difference Flow for Implicit Generative Modeling",
 * TMLR, arXiv 2304.12906: particles of the source q move along v(x) = grad log p_sigma(x) - grad log q_sigma(x), the
 * steepest-descent direction of KL(q || p) applied to the noise-smoothed proxies p_sigma = p * N(0, sigma^2 I),
 * q_sigma = q * N(0, sigma^2 I), with sigma annealed down.
 *
 * Step: x <- x + eta sigma^2 v(x) by default. With kernel (empirical) proxies sigma^2 s_sigma(x) = D(x) - x, where D
 * is the Tweedie posterior mean, so the step is eta (D_p(x) - D_q(x)): a difference of two denoised points whose
 * length does not depend on sigma's scale, and eta in (0, 1] is meaningful at every sigma. `stepScale: "unit"`
 * takes x <- x + eta v(x) instead (a plain Euler step of dx/dtau = v, used for the Gaussian ODE).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkLongWork, nextMacrotask, fail, checkTensor, checkRank, checkFiniteTensor, checkNumber, checkPositiveInt, checkSteps, type LongWorkOptions } from "../tensor";
import type { ScoreFn } from "../sde/types";
import { empiricalScore } from "../score/exact";
import { mmd2, slicedWasserstein } from "../metrics";
import { noiseLevelSDE } from "./noise-level";
import { gaussianFitScore } from "./gaussian-fit";

export type FlowMetric = "sw" | "mmd";

export interface SDFlowOptions extends LongWorkOptions {
  /** Number of flow iterations (default 200). */
  iterations?: number;
  /** Step size (default 0.5 with stepScale "sigma2", 0.05 with "unit"). */
  eta?: number;
  /** Noise levels: geometric from sigmaMax to sigmaMin over the iterations, or constant sigmaMax. Defaults 1, 0.05. */
  sigmaMax?: number;
  sigmaMin?: number;
  anneal?: "geometric" | "constant";
  stepScale?: "sigma2" | "unit";
  /** Source proxy score: kernel estimate over the current particles (default), a Gaussian fitted to them, or a
   * score function called with t = sigma on noiseLevelSDE (it must track the moving source itself). */
  sourceScore?: "kernel" | "gaussian" | ScoreFn;
  /** Target samples used for the divergence history when the target is given as a score function. */
  reference?: tf.Tensor2D;
  /** Divergences to the target samples recorded per iteration (default ["sw"]; [] for none). */
  metrics?: FlowMetric[];
  /** Record divergences every k iterations (default 1). */
  metricEvery?: number;
  /** Keep particles every k iterations in `trajectory` (default: start and end only). */
  keepEvery?: number;
  /** Seeds the sliced-Wasserstein projections (default new Rng(0)). */
  rng?: Rng;
}

export interface FlowSnapshot { iter: number; sigma: number; points: number[][] }
export interface FlowRecord { iter: number; sigma: number; sw?: number; mmd?: number; move: number }

export interface SDFlowResult {
  /** Final particles [n, d] (caller disposes). */
  particles: tf.Tensor2D;
  trajectory: FlowSnapshot[];
  history: FlowRecord[];
  /** Iterations done. */
  steps: number;
  /** True when the signal stopped the flow early (long-work contract): the particles are those reached so far,
   * a usable answer like a partly trained model. */
  stopped: boolean;
}

/**
 * Noise level at iteration i of n: geometric from sigmaMax to sigmaMin, or constant.
 * @example sigmaAt(0, 10, 1, 0.01, "geometric") // 1
 */
export function sigmaAt(i: number, n: number, sigmaMax: number, sigmaMin: number, anneal: "geometric" | "constant"): number {
  if (anneal === "constant" || n <= 1) return sigmaMax;
  return sigmaMax * (sigmaMin / sigmaMax) ** (i / (n - 1));
}

/**
 * Runs the SD flow from `source` particles [n, d] toward `target`, given as samples [m, d] (kernel proxy) or as a
 * score function of the noise-smoothed target (called with t = sigma on noiseLevelSDE()).
 * @example
 * const { particles, history } = await sdFlow(rng.normal([500, 2]), ringSamples, { iterations: 200, sigmaMin: 0.05 });
 */
export async function sdFlow(source: tf.Tensor2D, target: tf.Tensor2D | ScoreFn, opts: SDFlowOptions = {}): Promise<SDFlowResult> {
  const fn = "sdFlow";
  checkTensor(source, "source", fn);
  checkRank(source, 2, "source", fn);
  checkFiniteTensor(source, "source", fn);
  const [n, d] = source.shape;
  if (n < 2) fail(fn, "source", `must have at least 2 particles, got ${n}`);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const targetIsSamples = target instanceof tf.Tensor;
  if (targetIsSamples) {
    checkTensor(target, "target", fn);
    checkRank(target, 2, "target", fn);
    if (target.shape[1] !== d) fail(fn, "target", `must have ${d} columns like source, got shape [${target.shape}]`);
    checkFiniteTensor(target, "target", fn);
  } else if (typeof target !== "function") fail(fn, "target", "must be a tf.Tensor2D of samples or a score function (x, t) => score");
  const iterations = checkSteps(opts.iterations ?? 200, "iterations", fn);
  const anneal = opts.anneal ?? "geometric";
  if (anneal !== "geometric" && anneal !== "constant") fail(fn, "anneal", `must be "geometric" or "constant", got ${String(anneal)}`);
  const stepScale = opts.stepScale ?? "sigma2";
  if (stepScale !== "sigma2" && stepScale !== "unit") fail(fn, "stepScale", `must be "sigma2" or "unit", got ${String(stepScale)}`);
  const eta = checkNumber(opts.eta ?? (stepScale === "sigma2" ? 0.5 : 0.05), "eta", fn, { gt: 0 });
  const sigmaMax = checkNumber(opts.sigmaMax ?? 1, "sigmaMax", fn, { min: 0 });
  const sigmaMin = checkNumber(opts.sigmaMin ?? (anneal === "constant" ? sigmaMax : 0.05), "sigmaMin", fn, { min: 0, max: sigmaMax });
  if (anneal === "geometric" && !(sigmaMin > 0)) fail(fn, "sigmaMin", "must be > 0 for geometric annealing");
  const sourceMode = opts.sourceScore ?? "kernel";
  if (sourceMode !== "kernel" && sourceMode !== "gaussian" && typeof sourceMode !== "function") {
    fail(fn, "sourceScore", `must be "kernel", "gaussian" or a score function, got ${String(sourceMode)}`);
  }
  const usesKernel = targetIsSamples || sourceMode === "kernel";
  if (usesKernel && !(sigmaMin > 0)) fail(fn, "sigmaMin", "must be > 0 when a kernel (sample) proxy is used: the empirical score needs noise");
  if (stepScale === "sigma2" && !(sigmaMin > 0)) fail(fn, "sigmaMin", "must be > 0 with stepScale \"sigma2\" (the step would vanish); use stepScale \"unit\"");
  const reference = opts.reference ?? (targetIsSamples ? (target as tf.Tensor2D) : undefined);
  if (opts.reference !== undefined) {
    checkTensor(opts.reference, "reference", fn);
    checkRank(opts.reference, 2, "reference", fn);
    if (opts.reference.shape[1] !== d) fail(fn, "reference", `must have ${d} columns, got shape [${opts.reference.shape}]`);
  }
  const metrics = opts.metrics ?? (reference ? ["sw"] : []);
  if (!Array.isArray(metrics) || metrics.some((m) => m !== "sw" && m !== "mmd")) fail(fn, "metrics", `must be an array of "sw" and "mmd"`);
  if (metrics.length > 0 && !reference) fail(fn, "reference", "is needed for metrics when the target is a score function");
  const metricEvery = checkPositiveInt(opts.metricEvery ?? 1, "metricEvery", fn);
  const keepEvery = opts.keepEvery === undefined ? 0 : checkPositiveInt(opts.keepEvery, "keepEvery", fn);
  const rng = opts.rng ?? new Rng(0);
  if (!(rng instanceof Rng)) fail(fn, "rng", "must be an Rng");
  checkLongWork(opts, fn, "");

  const sde = noiseLevelSDE(Math.max(sigmaMax, 1e-3) * 2);
  const targetModel = targetIsSamples ? empiricalScore(sde, target as tf.Tensor2D) : undefined;
  const targetScore: ScoreFn = targetModel ? targetModel.score : (target as ScoreFn);
  let x = tf.clone(source) as tf.Tensor2D;
  const trajectory: FlowSnapshot[] = [];
  const history: FlowRecord[] = [];
  const keep = (iter: number, sigma: number) => trajectory.push({ iter, sigma, points: x.arraySync() as number[][] });
  const measure = (iter: number, sigma: number, move: number) => {
    const rec: FlowRecord = { iter, sigma, move };
    if (reference && (iter % metricEvery === 0 || iter === iterations)) {
      if (metrics.includes("sw")) rec.sw = slicedWasserstein(x, reference, { rng: rng.fork(iter), projections: 32 });
      if (metrics.includes("mmd")) rec.mmd = mmd2(x, reference);
    }
    history.push(rec);
    return rec;
  };
  let stopped = false;
  try {
    keep(0, sigmaAt(0, iterations, sigmaMax, sigmaMin, anneal));
    measure(0, sigmaAt(0, iterations, sigmaMax, sigmaMin, anneal), 0);
    for (let i = 0; i < iterations; i++) {
      if (opts.signal?.aborted) { stopped = true; break; }
      const sigma = sigmaAt(i, iterations, sigmaMax, sigmaMin, anneal);
      const t = tf.fill([n], sigma) as tf.Tensor1D;
      let sq: tf.Tensor;
      if (sourceMode === "kernel") {
        const model = empiricalScore(sde, x);
        sq = model.score(x, t);
        model.dispose();
      } else if (sourceMode === "gaussian") {
        const fit = gaussianFitScore(x, sigma);
        sq = fit.score(x);
        fit.dispose();
      } else sq = sourceMode(x, t);
      const sp = targetScore(x, t);
      const scale = eta * (stepScale === "sigma2" ? sigma * sigma : 1);
      const [next, moveT] = tf.tidy(() => {
        const step = tf.mul(scale, tf.sub(sp, sq));
        return [tf.add(x, step) as tf.Tensor2D, tf.mean(tf.norm(step, 2, 1))];
      });
      const move = moveT.dataSync()[0];
      tf.dispose([t, sq, sp, moveT, x]);
      x = next;
      if (!Number.isFinite(move)) fail(fn, "eta", `made the flow diverge at iteration ${i + 1} (non-finite step); use a smaller eta`);
      const iter = i + 1;
      const rec = measure(iter, sigma, move);
      if (keepEvery > 0 && iter % keepEvery === 0 && iter !== iterations) keep(iter, sigma);
      opts.onStep?.({ step: iter, total: iterations, sigma, sw: rec.sw, mmd: rec.mmd, move });
      await nextMacrotask();
    }
    const last = history[history.length - 1];
    if (trajectory[trajectory.length - 1].iter !== last.iter) keep(last.iter, last.sigma);
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    targetModel?.dispose();
  }
  return { particles: x, trajectory, history, steps: history[history.length - 1].iter, stopped };
}

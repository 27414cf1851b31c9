/**
 * ScoreFusion (Liu, Ye, Blanchet, Si, AISTATS 2025, arXiv 2406.19619): fuse K frozen, pre-trained score models
 * s_1..s_K into s_l(x, t) = sum_k l_k s_k(x, t), the score of the KL barycenter prod_k p_k^{l_k}, with weights l
 * on the simplex learned by denoising score matching on a small target sample.
 *
 * For constant l the DSM loss (Song et al. 2021) L(l) = E_{t,x0,eps} w(t) || sum_k l_k s_k(x_t, t) + eps / std(t) ||^2
 * is the quadratic form l^T A l + 2 b^T l + c with A_kl = E[w s_k . s_l], b_k = E[w s_k . eps / std],
 * c = E[w ||eps / std||^2]. One Monte Carlo pool of (x0, t, eps), drawn from the Rng, gives A, b and c; the weights
 * are then found exactly by a simplex QP ("qp"), or by Adam on softmax logits of the same DSM loss over the same pool
 * ("adam", the authors' method), or both. A time-dependent l(t) (softmax of a linear map of a Fourier time
 * embedding, an extension of the paper) is fitted by Adam, starting from the QP solution. Both Adam fits run on the
 * one training loop (src/train/trainer.ts), so a NaN loss restores the last finite weights and throws.
 */
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { Rng, checkFiniteTensor, checkLongWork, checkNumber, checkTensor, fail, type Progress, type LongWorkOptions } from "../tensor";
import type { ScoreFn, ScoreModel, SDE } from "../sde/types";
import { runTrainer } from "../train";
import { simplexQp, quadraticValue } from "./simplex-qp";
import { checkSimplexWeights } from "./gaussian-barycenter";

/** An auxiliary: a plain score function (then `opts.sde` is required) or a score model that carries its SDE. */
export type Auxiliary = ScoreFn | ScoreModel;

export interface FuseOptions extends LongWorkOptions {
  /** The SDE the auxiliaries were trained under; default: the auxiliaries' own (they must agree). */
  sde?: SDE;
  /** Source of all randomness (default new Rng(0)). */
  rng?: Rng;
  /** "qp" (exact, default), "adam" (gradient steps on softmax logits) or "both" (QP weights kept, Adam reported). */
  method?: "qp" | "adam" | "both";
  /** Range [tLo, tHi] of t ~ U (default [sde.tMin, sde.T]); the paper's 1-D study uses [1e-7, 1e-4]. */
  tRange?: [number, number];
  /** Monte Carlo pool size: (x0, t, eps) triples (default 4096). */
  samples?: number;
  /** DSM weight w(t): "std2" (w = std^2, default) or "none" (w = 1). */
  weighting?: "std2" | "none";
  /** Fixed weights: no learning, the loss is only evaluated (must lie on the simplex). */
  weights?: number[];
  /** Fit a time-dependent l(t) (Adam); `features` Fourier frequencies (default 4). */
  timeDependent?: boolean | { features?: number };
  /** Adam settings for "adam", "both" and time-dependent fits. */
  adam?: { steps?: number; lr?: number };
  /** Names or paths of the auxiliaries, kept in toJSON() (default "aux0", "aux1", ...). */
  names?: string[];
  /** Rows per auxiliary evaluation (default 1024). */
  batch?: number;
}

/** What fit the weights, with the quadratic form for inspection. */
export interface FuseDiagnostics {
  A: number[][];
  b: number[];
  c: number;
  /** DSM loss of each auxiliary alone on the same pool (A_kk + 2 b_k + c). */
  lossPerModel: number[];
  qp?: { weights: number[]; loss: number; kktViolation: number; solver: string };
  adam?: { weights: number[]; loss: number; steps: number };
  /** max_k |l_qp - l_adam| when both ran. */
  agreement?: number;
  /** The pool's t range and size. */
  tRange: [number, number];
  samples: number;
}

/** A fused score model: sampleable by any sampler, serialisable as references to its auxiliaries plus weights. */
export interface FusedModel extends ScoreModel {
  kind: "fused";
  /** Constant weights l (for a time-dependent fit: l(t) averaged over the pool's t). */
  weights: number[];
  /** l(t) at one time (constant fits return `weights`). */
  weightsAt(t: number): number[];
  auxiliaries: Auxiliary[];
  names: string[];
  /** DSM loss of the fused score on the pool (mean over samples of the squared norm summed over dimensions). */
  loss: number;
  method: "qp" | "adam" | "both" | "given" | "time-dependent";
  /** Whether the signal stopped an Adam fit early (long-work contract): the weights are those reached. */
  stopped: boolean;
  diagnostics: FuseDiagnostics;
  toJSON(): FusedJSON;
  save(dir: string): Promise<void>;
}

export interface FusedJSON {
  kind: "fused";
  auxiliaries: string[];
  weights: number[];
  method: string;
  loss: number;
  sde: string;
  timeEmbedding?: { features: number; tRange: [number, number]; W: number[][]; bias: number[] };
}

const FN = "fuse";

/**
 * Learn KL-barycenter weights of frozen auxiliary score models on a target sample (ScoreFusion).
 * @example
 * const fused = await fuse([modelA, modelB], target, { rng: new Rng(1), method: "both" });
 * fused.weights;                        // e.g. [0.58, 0.42]
 * const x = await eulerMaruyama(fused.score, fused.sde, { n: 512, steps: 500, rng, shape: [1] });
 */
export async function fuse(models: Auxiliary[], target: tf.Tensor, opts: FuseOptions = {}): Promise<FusedModel> {
  if (!Array.isArray(models)) fail(FN, "models", "must be an array of score functions or score models");
  if (models.length === 0) fail(FN, "models", "must hold at least one auxiliary model (got K = 0)");
  if (opts === null || typeof opts !== "object") fail(FN, "opts", "must be an options object");
  const scores = models.map((m, k) => toScoreFn(m, k));
  const sde = pickSde(models, opts.sde);
  checkTensor(target, "target", FN);
  if (target.rank < 2 || target.shape[0] < 1) fail(FN, "target", `must have shape [n, ...dims] with n >= 1, got [${target.shape}]`);
  checkFiniteTensor(target, "target", FN);
  const k = models.length;
  const rng = opts.rng ?? new Rng(0);
  if (!(rng instanceof Rng)) fail(FN, "opts.rng", "must be an Rng");
  const samples = checkNumber(opts.samples ?? 4096, "opts.samples", FN, { integer: true, min: 2 });
  const batch = checkNumber(opts.batch ?? 1024, "opts.batch", FN, { integer: true, min: 1 });
  const method = opts.method ?? "qp";
  if (!["qp", "adam", "both"].includes(method)) fail(FN, "opts.method", `must be "qp", "adam" or "both", got ${String(method)}`);
  const weighting = opts.weighting ?? "std2";
  if (weighting !== "std2" && weighting !== "none") fail(FN, "opts.weighting", `must be "std2" or "none", got ${String(weighting)}`);
  const tRange = opts.tRange ?? [sde.tMin, sde.T];
  if (!Array.isArray(tRange) || tRange.length !== 2) fail(FN, "opts.tRange", "must be [tLo, tHi]");
  checkNumber(tRange[0], "opts.tRange[0]", FN, { gt: 0 });
  checkNumber(tRange[1], "opts.tRange[1]", FN, { gt: tRange[0], max: sde.T });
  checkLongWork(opts, FN);
  const names = opts.names ?? models.map((m, i) => (m as { name?: string }).name ?? `aux${i}`);
  if (!Array.isArray(names) || names.length !== k || names.some((s) => typeof s !== "string")) {
    fail(FN, "opts.names", `must be an array of ${k} strings`);
  }
  const given = opts.weights === undefined ? null : checkSimplexWeights(opts.weights, k, FN, "opts.weights");
  const steps = checkNumber(opts.adam?.steps ?? 500, "opts.adam.steps", FN, { integer: true, min: 1 });
  const lr = checkNumber(opts.adam?.lr ?? 0.05, "opts.adam.lr", FN, { gt: 0 });
  const td = opts.timeDependent ? (typeof opts.timeDependent === "object" ? opts.timeDependent : {}) : null;
  const features = td ? checkNumber(td.features ?? 4, "opts.timeDependent.features", FN, { integer: true, min: 1 }) : 0;

  const shape = target.shape.slice(1);
  probeDimensions(scores, shape, tRange);

  const pool = buildPool(scores, sde, target, rng, samples, tRange, weighting, batch);
  try {
    const { A, b, c } = quadraticForm(pool);
    const lossPerModel = A.map((row, i) => row[i] + 2 * b[i] + c);
    const diagnostics: FuseDiagnostics = { A, b, c, lossPerModel, tRange: [tRange[0], tRange[1]], samples };
    let weights: number[];
    let used: FusedModel["method"];
    let timeFit: TimeFit | null = null;
    let stopped = false;
    if (given) {
      weights = [...given];
      used = "given";
    } else {
      if (method === "qp" || method === "both" || td) {
        const qp = simplexQp(A, b, { c });
        diagnostics.qp = { weights: qp.weights, loss: qp.value, kktViolation: qp.kktViolation, solver: qp.method };
      }
      if (method === "adam" || method === "both") {
        const a = await adamConstant(pool, k, steps, lr, opts.onStep, opts.signal);
        diagnostics.adam = { weights: a.weights, loss: quadraticValue(A, b, a.weights, c), steps: a.steps };
        stopped = a.stopped;
      }
      if (diagnostics.qp && diagnostics.adam) {
        diagnostics.agreement = Math.max(...diagnostics.qp.weights.map((v, i) => Math.abs(v - diagnostics.adam!.weights[i])));
      }
      weights = method === "adam" ? diagnostics.adam!.weights : diagnostics.qp!.weights;
      used = method;
      if (td) {
        timeFit = await adamTimeDependent(pool, k, features, tRange, weights, steps, lr, opts.onStep, opts.signal);
        weights = timeFit.meanWeights;
        stopped = stopped || !!timeFit.stopped;
        used = "time-dependent";
      }
    }
    const loss = timeFit ? timeFit.loss : quadraticValue(A, b, weights, c);
    return makeFused(scores, models, sde, names, weights, used, loss, diagnostics, timeFit, stopped);
  } finally {
    tf.dispose([pool.U, pool.V, pool.t]);
  }
}

function toScoreFn(m: Auxiliary, k: number): ScoreFn {
  if (typeof m === "function") return m;
  if (m && typeof m === "object" && typeof (m as ScoreModel).score === "function") {
    const model = m as ScoreModel;
    return (x, t) => model.score(x, t);
  }
  return fail(FN, `models[${k}]`, "must be a score function (x, t) => score or a score model {sde, score}");
}

function pickSde(models: Auxiliary[], given: SDE | undefined): SDE {
  const own = models.map((m) => (typeof m === "function" ? undefined : (m as ScoreModel).sde)).filter((s): s is SDE => !!s);
  if (given !== undefined) {
    if (!given || typeof given.marginal !== "function") fail(FN, "opts.sde", "must be an SDE (with marginal(t))");
    return given;
  }
  if (own.length === 0) fail(FN, "opts.sde", "is required when the models are plain score functions");
  const d0 = own[0].describe();
  own.forEach((s, i) => {
    if (s.describe() !== d0) fail(FN, "models", `must share one SDE: "${d0}" vs "${s.describe()}" (model ${i}); pass opts.sde to override`);
  });
  return own[0];
}

/** Runs every auxiliary on a two-row batch so that a dimension mismatch fails here, naming the model. */
function probeDimensions(scores: ScoreFn[], shape: number[], tRange: [number, number]): void {
  scores.forEach((s, k) => {
    let out: tf.Tensor | null = null;
    const x = tf.zeros([2, ...shape]);
    const t = tf.fill([2], (tRange[0] + tRange[1]) / 2);
    try {
      try {
        out = s(x, t);
      } catch (e) {
        fail(FN, `models[${k}]`, `failed on a probe batch of shape [2,${shape}] (the target's row shape): ${(e as Error).message}`);
      }
      if (!(out instanceof tf.Tensor)) fail(FN, `models[${k}]`, "must return a tf.Tensor");
      const want = [2, ...shape];
      if (out!.shape.length !== want.length || out!.shape.some((v, i) => v !== want[i])) {
        fail(FN, `models[${k}]`, `returns shape [${out!.shape}] for input [${want}]: its dimension differs from the target's [${shape}]`);
      }
    } finally {
      tf.dispose([x, t]);
      if (out) tf.dispose(out);
    }
  });
}

/** The pool: U[k] = sqrt(w) s_k(x_t, t) flattened, V = sqrt(w) eps / std; loss = mean_i || sum_k l_k U_k,i + V_i ||^2. */
interface Pool {
  /** [K, M, D] */
  U: tf.Tensor3D;
  /** [M, D] */
  V: tf.Tensor2D;
  /** [M] */
  t: tf.Tensor1D;
}

function buildPool(scores: ScoreFn[], sde: SDE, target: tf.Tensor, rng: Rng, m: number, tRange: [number, number], weighting: "std2" | "none", batch: number): Pool {
  const n = target.shape[0];
  const dflat = target.size / n;
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = rng.int(n);
  const tArr = rng.uniformArray(m, tRange[0], tRange[1]);
  const epsArr = rng.normalArray(m * dflat);
  return tf.tidy(() => {
    const rowShape = target.shape.slice(1);
    const x0 = tf.gather(target.reshape([n, dflat]), tf.tensor1d(idx, "int32"));
    const t = tf.tensor1d(tArr);
    const eps = tf.tensor2d(epsArr, [m, dflat]);
    const { scale, std } = sde.marginal(t);
    const xt = x0.mul(scale.reshape([m, 1])).add(eps.mul(std.reshape([m, 1])));
    const root = (weighting === "std2" ? std : tf.onesLike(std)).reshape([m, 1]);
    const V = eps.div(std.reshape([m, 1])).mul(root) as tf.Tensor2D;
    const us = scores.map((s) => {
      const parts: tf.Tensor[] = [];
      for (let lo = 0; lo < m; lo += batch) {
        const hi = Math.min(m, lo + batch);
        parts.push(tf.tidy(() => s(xt.slice([lo, 0], [hi - lo, dflat]).reshape([hi - lo, ...rowShape]), t.slice([lo], [hi - lo])).reshape([hi - lo, dflat])));
      }
      const all = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
      return all.mul(root);
    });
    const U = tf.stack(us) as tf.Tensor3D;
    const bad = tf.logicalNot(tf.isFinite(U)).any().dataSync()[0];
    if (bad) fail(FN, "models", "returned NaN or Infinity on the target pool (check the SDE and the t range)");
    return { U, V, t: t as tf.Tensor1D };
  });
}

function quadraticForm(pool: Pool): { A: number[][]; b: number[]; c: number } {
  const [k, m, d] = pool.U.shape;
  const [Ad, bd, cd] = tf.tidy((): tf.Tensor[] => {
    const U = pool.U.reshape([k, m * d]);
    const V = pool.V.reshape([m * d, 1]);
    return [tf.matMul(U, U, false, true).div(m), tf.matMul(U, V).div(m), tf.sum(tf.square(pool.V)).div(m)];
  });
  const a = Array.from(Ad.dataSync() as Float32Array);
  const b = Array.from(bd.dataSync() as Float32Array);
  const c = cd.dataSync()[0];
  tf.dispose([Ad, bd, cd]);
  const A = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (a[i * k + j] + a[j * k + i]) / 2));
  return { A, b, c };
}

/** tf.variable(init) keeps `init` alive (PERF-NOTES): copy, then free it. */
function variableFrom(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

/** The DSM loss over the whole pool of a fused score with weights l [k] (shared) or [m, k] (one row per t). */
function poolLoss(pool: Pool, l: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = pool.U.shape[0];
    const fusedU = l.rank === 1
      ? tf.matMul(l.reshape([1, k]), pool.U.reshape([k, -1])).reshape(pool.V.shape)
      : tf.sum(pool.U.mul(l.transpose().expandDims(2)), 0);
    return tf.mean(tf.sum(tf.square(fusedU.add(pool.V)), 1)) as tf.Scalar;
  });
}

/** Adam on logits z, l = softmax(z), full-batch DSM loss over the pool (auxiliaries frozen: U is a constant). */
async function adamConstant(pool: Pool, k: number, steps: number, lr: number, onStep?: Progress, signal?: AbortSignal): Promise<{ weights: number[]; steps: number; stopped: boolean }> {
  const z = variableFrom(tf.zeros([k]));
  try {
    const r = await runTrainer({
      fn: FN, variables: [z], steps, lr, lrOption: "opts.adam.lr", every: 25, yieldEvery: 50, onStep, signal,
      batch: () => () => poolLoss(pool, tf.softmax(z)),
    });
    const w = tf.tidy(() => tf.softmax(z));
    const weights = Array.from(w.dataSync());
    w.dispose();
    return { weights, steps: r.steps, stopped: r.stopped };
  } finally {
    z.dispose();
  }
}

interface TimeFit {
  features: number;
  tRange: [number, number];
  W: number[][];
  bias: number[];
  meanWeights: number[];
  loss: number;
  /** Adam steps done, and whether the signal stopped them (absent for a fit read back from JSON). */
  steps?: number;
  stopped?: boolean;
}

/** Fourier features of tau = (t - lo) / (hi - lo): [sin(pi f tau), cos(pi f tau)] for f = 1..F; t: [m] -> [m, 2F]. */
function timeEmbedding(t: tf.Tensor, features: number, tRange: [number, number]): tf.Tensor2D {
  return tf.tidy(() => {
    const tau = t.sub(tRange[0]).div(tRange[1] - tRange[0]).reshape([-1, 1]);
    const freqs = tf.range(1, features + 1).mul(Math.PI).reshape([1, features]);
    const arg = tau.mul(freqs);
    return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
  });
}

/** l(t) = softmax(phi(t) W + bias), bias started at log l_init so that the fit starts from the constant solution. */
async function adamTimeDependent(pool: Pool, k: number, features: number, tRange: [number, number], init: number[], steps: number, lr: number, onStep?: Progress, signal?: AbortSignal): Promise<TimeFit> {
  const W = variableFrom(tf.zeros([2 * features, k]));
  const bias = variableFrom(tf.tensor1d(init.map((v) => Math.log(Math.max(v, 1e-6)))));
  const phi = timeEmbedding(pool.t, features, tRange);
  const lossFn = () => tf.tidy(() => poolLoss(pool, tf.softmax(tf.matMul(phi, W).add(bias)))); // l: [m, k]
  try {
    const r = await runTrainer({
      fn: FN, variables: [W, bias], steps, lr, lrOption: "opts.adam.lr", every: 25, yieldEvery: 50, onStep, signal,
      batch: () => lossFn,
    });
    const lossT = lossFn();
    const meanT = tf.tidy(() => tf.mean(tf.softmax(tf.matMul(phi, W).add(bias)), 0));
    const fit: TimeFit = {
      features,
      tRange,
      W: (await W.array()) as number[][],
      bias: (await bias.array()) as number[],
      meanWeights: Array.from(meanT.dataSync()),
      loss: lossT.dataSync()[0],
      steps: r.steps,
      stopped: r.stopped,
    };
    tf.dispose([lossT, meanT]);
    return fit;
  } finally {
    tf.dispose([W, bias, phi]);
  }
}

function makeFused(scores: ScoreFn[], models: Auxiliary[], sde: SDE, names: string[], weights: number[], method: FusedModel["method"], loss: number, diagnostics: FuseDiagnostics, timeFit: TimeFit | null, stopped = false): FusedModel {
  const json: FusedJSON = { kind: "fused", auxiliaries: [...names], weights: [...weights], method, loss, sde: sde.describe() };
  if (timeFit) json.timeEmbedding = { features: timeFit.features, tRange: timeFit.tRange, W: timeFit.W, bias: timeFit.bias };
  const score = timeFit ? timeDependentScore(scores, timeFit) : weightedScore(scores, weights);
  const weightsAt = (t: number): number[] => {
    if (!timeFit) return [...weights];
    const l = tf.tidy(() => tf.softmax(tf.matMul(timeEmbedding(tf.tensor1d([t]), timeFit.features, timeFit.tRange), tf.tensor2d(timeFit.W)).add(tf.tensor1d(timeFit.bias))));
    const out = Array.from(l.dataSync());
    l.dispose();
    return out;
  };
  return {
    kind: "fused",
    sde,
    score,
    variables: [],
    weights: [...weights],
    weightsAt,
    auxiliaries: [...models],
    names: [...names],
    loss,
    method,
    stopped,
    diagnostics,
    toJSON: () => JSON.parse(JSON.stringify(json)) as FusedJSON,
    async save(dir: string) {
      if (typeof dir !== "string" || dir.length === 0) fail("FusedModel.save", "dir", "must be a non-empty path");
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(path.join(dir, "fused.json"), JSON.stringify(json, null, 2));
    },
  };
}

/**
 * sum_k l_k s_k(x, t) with constant weights: the barycenter score at every noise level. Models with weight 0 are
 * not evaluated.
 * @example
 * const s = weightedScore([sA, sB], [0.6, 0.4]);
 * s(x, t);   // 0.6 sA(x, t) + 0.4 sB(x, t)
 */
export function weightedScore(scores: ScoreFn[], weights: number[]): ScoreFn {
  if (!Array.isArray(scores) || scores.length === 0 || scores.some((s) => typeof s !== "function")) {
    fail("weightedScore", "scores", "must be a non-empty array of score functions");
  }
  const w = checkSimplexWeights(weights, scores.length, "weightedScore", "weights").slice();
  const used = w.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
  return (x, t) => tf.tidy(() => (used.length === 1 ? scores[used[0]](x, t).mul(w[used[0]]) : tf.addN(used.map((i) => scores[i](x, t).mul(w[i])))));
}

function timeDependentScore(scores: ScoreFn[], fit: TimeFit): ScoreFn {
  return (x, t) => tf.tidy(() => {
    const n = x.shape[0];
    const l = tf.softmax(tf.matMul(timeEmbedding(t, fit.features, fit.tRange), tf.tensor2d(fit.W)).add(tf.tensor1d(fit.bias))); // [n, k]
    const bshape = [n, ...x.shape.slice(1).map(() => 1)];
    return tf.addN(scores.map((s, k) => s(x, t).mul(l.slice([0, k], [n, 1]).reshape(bshape))));
  });
}

/**
 * Rebuild a fused model from its JSON and a resolver that maps each auxiliary reference (name or path) to a model.
 * @example
 * const json = fused.toJSON();
 * const again = fusedFromJSON(json, (name) => models[name], sde);
 */
export function fusedFromJSON(json: FusedJSON, resolve: (ref: string) => Auxiliary, sde: SDE): FusedModel {
  const fn = "fusedFromJSON";
  if (!json || json.kind !== "fused" || !Array.isArray(json.auxiliaries)) fail(fn, "json", "must be the output of FusedModel.toJSON()");
  if (typeof resolve !== "function") fail(fn, "resolve", "must be a function from an auxiliary reference to a model");
  if (!sde || typeof sde.marginal !== "function") fail(fn, "sde", "must be an SDE");
  checkSimplexWeights(json.weights, json.auxiliaries.length, fn, "json.weights");
  const models = json.auxiliaries.map((ref) => resolve(ref));
  const scores = models.map((m, k) => {
    if (typeof m === "function") return m;
    if (m && typeof (m as ScoreModel).score === "function") return (m as ScoreModel).score;
    return fail(fn, "resolve", `returned no model for auxiliary ${k} ("${json.auxiliaries[k]}")`);
  });
  const te = json.timeEmbedding;
  const timeFit: TimeFit | null = te ? { features: te.features, tRange: te.tRange, W: te.W, bias: te.bias, meanWeights: json.weights, loss: json.loss } : null;
  const k = models.length;
  const empty: FuseDiagnostics = { A: [], b: [], c: NaN, lossPerModel: new Array(k).fill(NaN), tRange: te?.tRange ?? [sde.tMin, sde.T], samples: 0 };
  return makeFused(scores, models, sde, json.auxiliaries, json.weights, json.method as FusedModel["method"], json.loss, empty, timeFit);
}

/**
 * Exact-answer checks for the classroom assignments (notebooks/assignments/). Each check calls the student's
 * function on random inputs, computes the answer in float64 from closed forms, and when the answers differ
 * names the likely mistake by comparing with the answers that common wrong versions would give.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, fail } from "../tensor";
import { vpSDE, veSDE, subVpSDE } from "../sde";
import type { SDE, ScoreFn } from "../sde/types";

export interface CheckResult {
  name: string;
  passed: boolean;
  /** One paragraph: what passed, or the first failing case, the expected and received answers, and a hint. */
  message: string;
  /** Cases run before the result was known. */
  cases: number;
}

/** The student's DSM loss: (score, sde, x0 [n,d], t [n], eps [n,d]) -> the loss (a number or a scalar tensor). */
export type DsmLossFn = (score: ScoreFn, sde: SDE, x0: tf.Tensor2D, t: tf.Tensor1D, eps: tf.Tensor2D) => number | tf.Tensor;
/** The student's reverse-time Euler–Maruyama step from t to t - dt with standard normal noise z. */
export type EmStepFn = (score: ScoreFn, sde: SDE, x: tf.Tensor2D, t: number, dt: number, z: tf.Tensor2D) => tf.Tensor;
/** The student's copy rate: fraction of generated points with nearest / second-nearest training distance < ratio. */
export type CopyRateFn = (generated: number[][], train: number[][], ratio: number) => number;

interface Variant { hint: string; value: number[] }

/** Relative-and-absolute closeness of two arrays: |a - b| <= atol + rtol |b| elementwise. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) return false;
  return true;
}

const fmt = (v: ArrayLike<number>) => (v.length === 1 ? v[0].toPrecision(6) : `[${Array.from(v).slice(0, 4).map((x) => x.toPrecision(4)).join(", ")}${v.length > 4 ? ", ..." : ""}]`);

/** Runs the student's function, turning a throw or a non-finite/ill-shaped result into a message. */
function attempt(name: string, call: () => unknown): { value?: number[]; shape?: number[]; problem?: string } {
  try {
    const r = call();
    if (r instanceof tf.Tensor) {
      const value = Array.from(r.dataSync());
      const shape = r.shape;
      r.dispose();
      return { value, shape };
    }
    if (typeof r === "number") return { value: [r], shape: [] };
    if (r && typeof (r as Promise<unknown>).then === "function") return { problem: `${name} returned a Promise: return the value itself (no async/await needed)` };
    return { problem: `${name} must return a number or a tf.Tensor, got ${r === null ? "null" : typeof r}` };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { problem: /not implemented yet/.test(msg) ? `${name} is not implemented yet (the cell still throws "${msg}")` : `${name} threw: ${msg}` };
  }
}

function verdict(name: string, cases: number, problem: string | null, passNote: string): CheckResult {
  return problem === null
    ? { name, passed: true, cases, message: `${name}: passed ${cases} random cases against exact answers. ${passNote}` }
    : { name, passed: false, cases, message: `${name}: ${problem}` };
}

/** Compares `got` with the exact answer and, if wrong, with each variant; the message names the closest mistake. */
function judge(got: number[], exact: number[], variants: Variant[], rtol: number, atol: number, where: string): string | null {
  if (close(got, exact, rtol, atol)) return null;
  const match = variants.find((v) => close(got, v.value, rtol, atol));
  const nonFinite = got.some((v) => !Number.isFinite(v));
  const hint = match ? ` Hint: ${match.hint}` : nonFinite ? " Hint: your result holds NaN or Infinity; look for a division by zero or a sqrt of a negative number." : "";
  return `wrong answer on ${where}: expected ${fmt(exact)}, got ${fmt(got)}.${hint}`;
}

/** Times t per case: away from t = 0 where eps / s(t) is huge and float32 rounding would dominate the check. */
function caseTimes(rng: Rng, n: number): number[] { return Array.from(rng.uniformArray(n, 0.05, 1)); }

function affineScore(c: number, b: number[]): ScoreFn {
  return (x, _t) => tf.tidy(() => tf.add(tf.mul(x, -c), tf.tensor1d(b)));
}

/**
 * Checks a DSM loss against L = (1/n) sum_i s_i^2 || score(a_i x0_i + s_i eps_i, t_i) + eps_i / s_i ||^2
 * (Song et al. 2021, eq. 7, with lambda(t) = s(t)^2; the norm sums over coordinates, the mean is over the batch),
 * on random affine score functions and VP, sub-VP and VE SDEs.
 * @example checkDsmLoss((score, sde, x0, t, eps) => myLoss(score, sde, x0, t, eps)).passed
 */
export function checkDsmLoss(fn: DsmLossFn, opts: { seed?: number; cases?: number } = {}): CheckResult {
  const name = "dsm-loss";
  if (typeof fn !== "function") fail("checkDsmLoss", "fn", "must be your function (score, sde, x0, t, eps) => loss");
  const rng = new Rng(opts.seed ?? 2024);
  const sdes = [vpSDE(), subVpSDE(), veSDE()];
  const cases = opts.cases ?? 6;
  for (let k = 0; k < cases; k++) {
    const sde = sdes[k % sdes.length];
    const n = 2 + rng.int(5), d = 1 + rng.int(3);
    const x0 = Array.from(rng.normalArray(n * d)), eps = Array.from(rng.normalArray(n * d));
    const ts = caseTimes(rng, n);
    const c = 0.2 + rng.next(), b = Array.from(rng.normalArray(d));
    // float64 answers, with the mistakes students make most often as variants.
    let exact = 0, noWeight = 0, epsTimesS = 0, minusSign = 0, atX0 = 0;
    for (let i = 0; i < n; i++) {
      const { scale: a, std: s } = sde.marginalAt(ts[i]);
      for (let j = 0; j < d; j++) {
        const e = eps[i * d + j], xt = a * x0[i * d + j] + s * e;
        const sc = -c * xt + b[j], sc0 = -c * x0[i * d + j] + b[j];
        exact += s * s * (sc + e / s) ** 2;
        noWeight += (sc + e / s) ** 2;
        epsTimesS += s * s * (sc + e * s) ** 2;
        minusSign += s * s * (sc - e / s) ** 2;
        atX0 += s * s * (sc0 + e / s) ** 2;
      }
    }
    const variants: Variant[] = [
      { hint: "you summed over the batch; the loss is the mean over the n rows (sum over coordinates, mean over rows).", value: [exact] },
      { hint: "you averaged over the coordinates too; sum the squared error over the d coordinates of each row, then average over rows.", value: [exact / n / d] },
      { hint: "the weight lambda(t) = s(t)^2 is missing: multiply each row's squared norm by std(t)^2.", value: [noWeight / n] },
      { hint: "the target is -eps / s(t) (divide by the std), not -eps * s(t).", value: [epsTimesS / n] },
      { hint: "sign: the score should match -eps / s(t), so the residual is score + eps / s(t), not score - eps / s(t).", value: [minusSign / n] },
      { hint: "evaluate the score at the noised point x_t = scale(t) x0 + std(t) eps, not at x0.", value: [atX0 / n] },
    ];
    const before = tf.memory().numTensors;
    const x0T = tf.tensor2d(x0, [n, d]), epsT = tf.tensor2d(eps, [n, d]), tT = tf.tensor1d(ts);
    const r = attempt("your dsmLoss", () => fn(affineScore(c, b), sde, x0T, tT, epsT));
    tf.dispose([x0T, epsT, tT]);
    if (r.problem) return verdict(name, k + 1, r.problem, "");
    if (r.value!.length !== 1) return verdict(name, k + 1, `your dsmLoss must return one number (a scalar), got ${r.value!.length} values with shape [${r.shape}]; reduce with a mean over rows.`, "");
    // float32 inside the student's code: values are O(1)-O(10) and t >= 0.05 keeps 1/s below 10, so 1e-3 relative covers rounding.
    const where = `case ${k + 1} (${sde.kind.toUpperCase()} SDE, n = ${n}, d = ${d})`;
    const problem = judge(r.value!, [exact / n], variants, 1e-3, 1e-5, where);
    if (problem) return verdict(name, k + 1, problem, "");
    if (tf.memory().numTensors > before + 1) return verdict(name, k + 1, `your dsmLoss leaves ${tf.memory().numTensors - before} tensors undisposed per call; wrap the body in tf.tidy(() => ...).`, "");
  }
  return verdict(name, cases, null, "Your loss is the weighted DSM objective of Song et al. (2021), eq. 7.");
}

/**
 * Checks one reverse-time Euler–Maruyama step from t to t - dt (Song et al. 2021, eq. 6 discretised):
 *   x' = x - [f(x, t) - g(t)^2 score(x, t)] dt + g(t) sqrt(dt) z,
 * on random affine scores and VP, sub-VP and VE SDEs.
 * @example checkEmStep(myStep).message
 */
export function checkEmStep(fn: EmStepFn, opts: { seed?: number; cases?: number } = {}): CheckResult {
  const name = "em-step";
  if (typeof fn !== "function") fail("checkEmStep", "fn", "must be your function (score, sde, x, t, dt, z) => next x");
  const rng = new Rng(opts.seed ?? 7);
  const sdes = [vpSDE(), veSDE(), subVpSDE()];
  const cases = opts.cases ?? 6;
  for (let k = 0; k < cases; k++) {
    const sde = sdes[k % sdes.length];
    const n = 1 + rng.int(4), d = 1 + rng.int(3);
    const x = Array.from(rng.normalArray(n * d)), z = Array.from(rng.normalArray(n * d));
    const t = 0.1 + 0.85 * rng.next(), dt = 0.005 + 0.04 * rng.next();
    const c = 0.2 + rng.next(), b = Array.from(rng.normalArray(d));
    const fc = sde.driftCoefAt(t), g = sde.diffusionAt(t);
    const ans = (drift: (xi: number, s: number) => number, noise: number) => x.map((xi, i) => xi + drift(xi, -c * xi + b[i % d]) + noise * z[i]);
    const exact = ans((xi, s) => -(fc * xi - g * g * s) * dt, g * Math.sqrt(dt));
    const variants: Variant[] = [
      { hint: "the noise term is g(t) * sqrt(dt) * z: you used dt instead of sqrt(dt).", value: ans((xi, s) => -(fc * xi - g * g * s) * dt, g * dt) },
      { hint: "the score is multiplied by g(t)^2, not g(t).", value: ans((xi, s) => -(fc * xi - g * s) * dt, g * Math.sqrt(dt)) },
      { hint: "the reverse drift enters with a minus sign when time runs backwards: x - [f - g^2 score] dt.", value: ans((xi, s) => (fc * xi - g * g * s) * dt, g * Math.sqrt(dt)) },
      { hint: "the step is stochastic: add g(t) * sqrt(dt) * z.", value: ans((xi, s) => -(fc * xi - g * g * s) * dt, 0) },
      { hint: "this is a forward step of the SDE; the sampler runs the reverse SDE, whose drift is f - g^2 score.", value: ans((xi) => fc * xi * dt, g * Math.sqrt(dt)) },
      { hint: "that is the probability-flow ODE drift (g^2 score / 2) with noise; the reverse SDE uses g^2 score.", value: ans((xi, s) => -(fc * xi - 0.5 * g * g * s) * dt, g * Math.sqrt(dt)) },
    ];
    const before = tf.memory().numTensors;
    const xT = tf.tensor2d(x, [n, d]), zT = tf.tensor2d(z, [n, d]);
    const r = attempt("your emStep", () => fn(affineScore(c, b), sde, xT, t, dt, zT));
    tf.dispose([xT, zT]);
    if (r.problem) return verdict(name, k + 1, r.problem, "");
    if (r.shape!.length !== 2 || r.shape![0] !== n || r.shape![1] !== d) return verdict(name, k + 1, `your emStep must return the next x with the shape of x, [${n}, ${d}], got [${r.shape}].`, "");
    const where = `case ${k + 1} (${sde.kind.toUpperCase()} SDE, t = ${t.toFixed(3)}, dt = ${dt.toFixed(4)}, x of shape [${n}, ${d}])`;
    // VE's g^2 dt reaches ~50 at t near 1, so entries are O(100): 1e-4 relative is float32 rounding with margin.
    const problem = judge(r.value!, exact, variants, 1e-4, 1e-4, where);
    if (problem) return verdict(name, k + 1, problem, "");
    if (tf.memory().numTensors > before + 1) return verdict(name, k + 1, `your emStep leaves ${tf.memory().numTensors - before - 1} extra tensors undisposed per call; wrap the body in tf.tidy(() => ...).`, "");
  }
  return verdict(name, cases, null, "Repeating it from t = T down to tMin is the Euler–Maruyama sampler (lab.eulerMaruyama).");
}

function nearestTwo(p: number[], train: number[][], sq: boolean): [number, number] {
  let a = Infinity, b = Infinity;
  for (const q of train) {
    let s = 0;
    for (let j = 0; j < p.length; j++) s += (p[j] - q[j]) ** 2;
    const dist = sq ? s : Math.sqrt(s);
    if (dist < a) { b = a; a = dist; } else if (dist < b) b = dist;
  }
  return [a, b];
}

/**
 * Checks a memorization rate: the fraction of generated points whose distance to the nearest training point is
 * below `ratio` times the distance to the second nearest (the copy criterion of lab.generalization.memorization,
 * after Yoon et al. 2023), on random sets where some generated points are near-copies of training points.
 * @example checkCopyRate(myCopyRate).passed
 */
export function checkCopyRate(fn: CopyRateFn, opts: { seed?: number; cases?: number } = {}): CheckResult {
  const name = "copy-rate";
  if (typeof fn !== "function") fail("checkCopyRate", "fn", "must be your function (generated, train, ratio) => rate");
  const rng = new Rng(opts.seed ?? 11);
  const cases = opts.cases ?? 6;
  for (let k = 0; k < cases; k++) {
    const d = 1 + rng.int(3), nTrain = 3 + rng.int(8), m = 5 + rng.int(12);
    const ratio = [1 / 3, 0.5, 0.25][k % 3];
    const train = Array.from({ length: nTrain }, () => Array.from(rng.normalArray(d)));
    const generated = Array.from({ length: m }, () => {
      // About half are copies with a small perturbation, the rest fresh points: the rate is neither 0 nor 1.
      if (rng.next() < 0.5) { const q = train[rng.int(nTrain)]; return q.map((v) => v + 0.05 * rng.nextNormal()); }
      return Array.from(rng.normalArray(d)).map((v) => 1.5 * v);
    });
    const rat = generated.map((p) => { const [a, b] = nearestTwo(p, train, false); return a / b; });
    const ratSq = generated.map((p) => { const [a, b] = nearestTwo(p, train, true); return a / b; });
    const count = rat.filter((r) => r < ratio).length;
    const exact = [count / m];
    const variants: Variant[] = [
      { hint: "return the fraction of generated points (count / number of generated points), not the count.", value: [count] },
      { hint: "a copy is a point whose ratio nearest / second-nearest is BELOW the threshold; you counted the others.", value: [1 - count / m] },
      { hint: "compare Euclidean distances, not squared distances (squaring changes the ratio).", value: [ratSq.filter((r) => r < ratio).length / m] },
      { hint: "divide by the number of generated points, not by the training-set size.", value: [count / nTrain] },
      { hint: "use the threshold passed in as `ratio` rather than a fixed 1/3.", value: [rat.filter((r) => r < 1 / 3).length / m] },
    ].filter((v) => !close(v.value, exact, 0, 1e-12));
    const copyG = generated.map((p) => p.slice()), copyT = train.map((q) => q.slice());
    const r = attempt("your copyRate", () => fn(copyG, copyT, ratio));
    if (r.problem) return verdict(name, k + 1, r.problem, "");
    if (r.value!.length !== 1) return verdict(name, k + 1, `your copyRate must return one number, got ${r.value!.length} values.`, "");
    const where = `case ${k + 1} (${m} generated, ${nTrain} training points in ${d}-D, ratio ${ratio.toFixed(3)})`;
    // The answer is a count over m, exact in float64: any difference is a wrong count.
    const problem = judge(r.value!, exact, variants, 0, 1e-9, where);
    if (problem) return verdict(name, k + 1, problem, "");
    if (JSON.stringify(copyG) !== JSON.stringify(generated) || JSON.stringify(copyT) !== JSON.stringify(train)) {
      return verdict(name, k + 1, "your copyRate changed its input arrays; compute without modifying generated or train.", "");
    }
  }
  return verdict(name, cases, null, "The same criterion is lab.generalization.memorization(...).memorizationRate.");
}

/** The checks by name, for runCheck and the %check magic. */
export const CHECKS = {
  "dsm-loss": checkDsmLoss,
  "em-step": checkEmStep,
  "copy-rate": checkCopyRate,
} as const;
export type CheckName = keyof typeof CHECKS;

/** A failed check: the message is the helpful one, so a notebook cell shows it as its error. */
export class CheckFailure extends Error {
  constructor(readonly result: CheckResult) {
    super(result.message);
    this.name = "CheckFailure";
  }
}

/**
 * Runs the named check on `fn`, prints "PASS ..." or "FAIL ..." and throws a CheckFailure when it fails, so that a
 * grading run (nbgrader, nbclient) marks the check cell as failed.
 * @example lab.check.runCheck("dsm-loss", dsmLoss)
 */
export function runCheck(name: string, fn: unknown, opts: { seed?: number; print?: (line: string) => void } = {}): CheckResult {
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(CHECKS, name)) {
    fail("runCheck", "name", `must be one of ${Object.keys(CHECKS).join(", ")}, got '${String(name)}'`);
  }
  const check = CHECKS[name as CheckName] as (f: unknown, o: { seed?: number }) => CheckResult;
  const result = check(fn, { seed: opts.seed });
  (opts.print ?? ((l: string) => console.log(l)))(`${result.passed ? "PASS" : "FAIL"} ${result.message}`);
  if (!result.passed) throw new CheckFailure(result);
  return result;
}

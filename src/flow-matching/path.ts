/**
 * Gaussian probability paths for flow matching, in the diffusion time of the rest of scorelab (t = 0 data, t = T
 * noise): x_t = a(t) x_0 + s(t) eps with eps ~ N(0, I), and the conditional velocity u_t = a'(t) x_0 + s'(t) eps
 * (Lipman et al. 2023, "Flow Matching for Generative Modeling", Sec. 4 and eqs. 20-23, with t -> 1 - t).
 *   - the conditional OT path (rectified flow, Liu et al. 2023; Tong et al. 2023's I-CFM with sigma = 0):
 *     a = 1 - t, s = sigmaMin + (1 - sigmaMin) t (Lipman et al. 2023, eq. 20);
 *   - the path of any scorelab SDE (the VP path of Lipman et al. 2023, eq. 19, from vpSDE): a, s its marginal, and
 *     since the drift is linear, f = c(t) x, a' = c a and (s^2)' = 2 c s^2 + g^2 (Song et al. 2021, eq. 5.50-5.51).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, checkNumber, checkTensor, fail } from "../tensor";
import { isSDE, vpSDE, type SDE, type SDEOptions } from "../sde";

/** Per-row coefficients of a path at times t [n]: a, s and their time derivatives, each [n]. */
export interface PathCoefficients { scale: tf.Tensor; std: tf.Tensor; dScale: tf.Tensor; dStd: tf.Tensor }

/** A Gaussian probability path x_t = a(t) x_0 + s(t) eps on [tMin, T], with its end law p_T ~ N(0, prior var I). */
export interface ProbabilityPath {
  kind: "ot" | "sde";
  T: number;
  tMin: number;
  /** The SDE whose marginals the path is (kind "sde"): every score sampler of src/sample runs on it. */
  sde?: SDE;
  /** t [n] -> a, s, a', s' ([n] each). */
  coefficients(t: tf.Tensor): PathCoefficients;
  coefficientsAt(t: number): { scale: number; std: number; dScale: number; dStd: number };
  /** Draws of the end law p_T, [n, ...shape]; with a RowRng of n streams, row i from stream i. */
  prior(n: number, shape: number[], rng: Rng | RowRng): tf.Tensor;
  /** log p_T per row: x [n, ...] -> [n]. */
  priorLogProb(x: tf.Tensor): tf.Tensor;
  describe(): string;
}

/** Whether a value is a ProbabilityPath. @example isProbabilityPath(otPath()); // true */
export function isProbabilityPath(p: unknown): p is ProbabilityPath {
  const o = p as ProbabilityPath;
  return !!o && typeof o === "object" && (o.kind === "ot" || o.kind === "sde") && typeof o.coefficients === "function" && typeof o.prior === "function";
}

/** Validates a path argument. */
export function checkPath(path: unknown, fn: string, name = "path"): ProbabilityPath {
  if (!isProbabilityPath(path)) fail(fn, name, "must be a ProbabilityPath (otPath(), vpPath() or sdePath(sde))");
  return path as ProbabilityPath;
}

function standardNormalPrior(n: number, shape: number[], rng: Rng | RowRng): tf.Tensor {
  const f = "ProbabilityPath.prior";
  checkNumber(n, "n", f, { integer: true, min: 1 });
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(f, "shape", `must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
  if (!(rng instanceof Rng) && !(rng instanceof RowRng)) fail(f, "rng", "must be an Rng or a RowRng");
  return rng.normal([n, ...shape]);
}

function standardNormalLogProb(x: tf.Tensor): tf.Tensor {
  checkTensor(x, "x", "ProbabilityPath.priorLogProb");
  if (x.rank < 2) fail("ProbabilityPath.priorLogProb", "x", `must have a batch axis, shape [n, ...], got [${x.shape}]`);
  const d = x.size / x.shape[0];
  return tf.tidy(() => tf.sub(tf.mul(-0.5, tf.sum(tf.reshape(tf.square(x), [x.shape[0], d]), 1)), 0.5 * d * Math.log(2 * Math.PI)));
}

/**
 * The conditional OT path a = 1 - t, s = sigmaMin + (1 - sigmaMin) t on [tMin, 1] (Lipman et al. 2023, eq. 20;
 * sigmaMin = 0 is rectified flow, Liu et al. 2023). p_1 = N(0, I) exactly.
 * @example const path = otPath(); path.coefficientsAt(0.25); // { scale: 0.75, std: 0.25, dScale: -1, dStd: 1 }
 */
export function otPath(opts: { sigmaMin?: number; tMin?: number } = {}): ProbabilityPath {
  const fn = "otPath";
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object { sigmaMin?, tMin? }");
  const sigmaMin = checkNumber(opts.sigmaMin ?? 0, "opts.sigmaMin", fn, { min: 0, lt: 1 });
  const tMin = checkNumber(opts.tMin ?? 1e-3, "opts.tMin", fn, { min: 0, lt: 1 });
  if (sigmaMin === 0 && tMin === 0) fail(fn, "opts.tMin", "must be > 0 when sigmaMin is 0 (x_0 is the data itself: no density, no score)");
  const k = 1 - sigmaMin;
  return {
    kind: "ot", T: 1, tMin,
    coefficients(t) {
      checkTensor(t, "t", "otPath.coefficients");
      return tf.tidy(() => ({ scale: tf.sub(1, t), std: tf.add(sigmaMin, tf.mul(k, t)), dScale: tf.fill(t.shape, -1), dStd: tf.fill(t.shape, k) }));
    },
    coefficientsAt: (t) => ({ scale: 1 - t, std: sigmaMin + k * t, dScale: -1, dStd: k }),
    prior: standardNormalPrior,
    priorLogProb: standardNormalLogProb,
    describe: () => `conditional OT path (sigmaMin ${sigmaMin}), t in [${tMin}, 1]`,
  };
}

/**
 * The Gaussian path of a scorelab SDE (its marginals), with a' = c a and s' = (2 c s^2 + g^2) / (2 s) for the
 * linear drift f = c(t) x. Its velocity field is the SDE's probability-flow ODE (Song et al. 2021, eq. 13).
 * @example const path = sdePath(veSDE());
 */
export function sdePath(sde: SDE): ProbabilityPath {
  const fn = "sdePath";
  if (!isSDE(sde)) fail(fn, "sde", "must be an SDE (from vpSDE, veSDE, subVpSDE or makeSDE)");
  return {
    kind: "sde", T: sde.T, tMin: sde.tMin, sde,
    coefficients(t) {
      checkTensor(t, "t", "sdePath.coefficients");
      return tf.tidy(() => {
        const n = t.shape[0];
        const { scale, std } = sde.marginal(t);
        const c = tf.reshape(sde.drift(tf.ones([n, 1]), t), [n]);
        const g2 = tf.square(sde.diffusion(t));
        return { scale, std, dScale: tf.mul(c, scale), dStd: tf.div(tf.add(tf.mul(tf.mul(2, c), tf.square(std)), g2), tf.mul(2, std)) };
      });
    },
    coefficientsAt(t) {
      const { scale, std } = sde.marginalAt(t);
      const c = sde.driftCoefAt(t), g = sde.diffusionAt(t);
      return { scale, std, dScale: c * scale, dStd: (2 * c * std * std + g * g) / (2 * std) };
    },
    prior: (n, shape, rng) => sde.prior(n, shape, rng),
    priorLogProb: (x) => sde.priorLogProb(x),
    describe: () => `Gaussian path of the ${sde.describe()}`,
  };
}

/**
 * The VP path (Lipman et al. 2023, eq. 19): the path of vpSDE(opts), default linear schedule (0.1, 20).
 * @example const path = vpPath(); path.sde!.kind; // "vp"
 */
export function vpPath(opts: SDEOptions = {}): ProbabilityPath {
  return sdePath(vpSDE(opts));
}

/** Reshapes a per-row vector [n] to broadcast against x [n, ...]. */
export function perRow(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.reshape(v, [x.shape[0], ...x.shape.slice(1).map(() => 1)]);
}

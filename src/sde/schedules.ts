/**
 * Noise schedules beta(t) on [0, T] with their integrals B(t) = int_0^t beta(u) du, in scalar (float64) and
 * tensor (elementwise) form. VP and sub-VP SDEs read beta as the rate of the Ornstein–Uhlenbeck drift; the VE SDE
 * reads beta as g(t)^2, so that B(t) is the added variance (see sde.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import type { NoiseSchedule } from "./types";

function scheduleFrom(name: string, beta: (t: number) => number, integral: (t: number) => number,
  betaT: (t: tf.Tensor) => tf.Tensor, integralT: (t: tf.Tensor) => tf.Tensor): NoiseSchedule {
  return { name, beta, integral, betaT: (t) => tf.tidy(() => betaT(t)), integralT: (t) => tf.tidy(() => integralT(t)) };
}

/**
 * Linear schedule beta(t) = beta0 + (t / T)(beta1 - beta0) (Song et al. 2021, VP SDE; DDPM's schedule in the
 * continuous limit).
 * @example const s = linearSchedule(); s.integral(1); // 10.05
 */
export function linearSchedule(opts: { beta0?: number; beta1?: number; T?: number } = {}): NoiseSchedule {
  const fn = "linearSchedule";
  // Past 1e30, beta times t^2 overflows float32 tensors to Infinity (and Infinity * 0 = NaN at t = 0).
  const b0 = checkNumber(opts.beta0 ?? 0.1, "beta0", fn, { min: 0, max: 1e30 });
  const b1 = checkNumber(opts.beta1 ?? 20, "beta1", fn, { min: 0, max: 1e30 });
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  const k = (b1 - b0) / T;
  return scheduleFrom(`linear(${b0}, ${b1})`, (t) => b0 + k * t, (t) => b0 * t + 0.5 * k * t * t,
    (t) => tf.add(b0, tf.mul(k, t)), (t) => tf.mul(t, tf.add(b0, tf.mul(0.5 * k, t))));
}

/**
 * Constant schedule beta(t) = beta.
 * @example constantSchedule({ beta: 2 }).integral(0.5); // 1
 */
export function constantSchedule(opts: { beta?: number } = {}): NoiseSchedule {
  const b = checkNumber(opts.beta ?? 1, "beta", "constantSchedule", { gt: 0 });
  return scheduleFrom(`constant(${b})`, () => b, (t) => b * t, (t) => tf.fill(t.shape, b), (t) => tf.mul(b, t));
}

/**
 * Cosine schedule (Nichol & Dhariwal 2021, eq. 17): alpha_bar(t) = f(t) / f(0), f(t) = cos^2(((t/T + c)/(1 + c)) pi/2),
 * so B(t) = -log alpha_bar(t) and beta(t) = (pi / (T (1 + c))) tan(((t/T + c)/(1 + c)) pi/2). beta blows up at
 * t = T; it is clipped at `betaMax` (default 100, where alpha_bar(T) is about 1e-4, close to the linear
 * schedule's 4e-5), and B continues linearly past the clip point so that B stays the integral of beta.
 * @example const s = cosineSchedule(); Math.exp(-s.integral(0.5)); // alpha_bar(0.5)
 */
export function cosineSchedule(opts: { c?: number; betaMax?: number; T?: number } = {}): NoiseSchedule {
  const fn = "cosineSchedule";
  const c = checkNumber(opts.c ?? 0.008, "c", fn, { gt: 0 });
  const betaMax = checkNumber(opts.betaMax ?? 100, "betaMax", fn, { gt: 0 });
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  const w = Math.PI / (2 * (1 + c));
  const rawBeta = (t: number) => (2 * w / T) * Math.tan(w * (t / T + c));
  const logCos0 = Math.log(Math.cos(w * c));
  const rawB = (t: number) => -2 * (Math.log(Math.cos(w * (t / T + c))) - logCos0);
  // Clip point: rawBeta(tc) = betaMax, solved in closed form (tan is monotone on the domain).
  const tcRaw = T * (Math.atan(betaMax * T / (2 * w)) / w - c);
  const tc = Math.min(T, Math.max(0, tcRaw));
  if (rawBeta(0) > betaMax) fail(fn, "betaMax", `must exceed beta(0) = ${rawBeta(0)}, got ${betaMax}`);
  const Bc = rawB(tc);
  const beta = (t: number) => (t < tc ? rawBeta(t) : betaMax);
  const integral = (t: number) => (t < tc ? rawB(t) : Bc + betaMax * (t - tc));
  const betaT = (t: tf.Tensor) => {
    const tt = tf.minimum(t, tc);
    return tf.where(tf.less(t, tc), tf.mul(2 * w / T, tf.tan(tf.mul(w, tf.add(tf.div(tt, T), c)))), tf.fill(t.shape, betaMax));
  };
  const integralT = (t: tf.Tensor) => {
    const tt = tf.minimum(t, tc);
    const raw = tf.mul(-2, tf.sub(tf.log(tf.cos(tf.mul(w, tf.add(tf.div(tt, T), c)))), logCos0));
    return tf.add(raw, tf.mul(betaMax, tf.relu(tf.sub(t, tc))));
  };
  return scheduleFrom(`cosine(c=${c}, betaMax=${betaMax})`, beta, integral, betaT, integralT);
}

/**
 * Exponential family of the noise-schedule paper (Strasman et al. 2024):
 * beta_a(t) = betaMin + (betaMax - betaMin)(e^{a t} - 1)/(e^{a T} - 1); a -> 0 gives the linear schedule.
 * B(t) = betaMin t + (betaMax - betaMin)((e^{a t} - 1)/a - t)/(e^{a T} - 1).
 * @example exponentialSchedule({ a: 4 }).beta(1); // 20
 */
export function exponentialSchedule(opts: { a?: number; betaMin?: number; betaMax?: number; T?: number } = {}): NoiseSchedule {
  const fn = "exponentialSchedule";
  const a = checkNumber(opts.a ?? 0, "a", fn);
  // Same float32 bound as linearSchedule's beta0/beta1.
  const bmin = checkNumber(opts.betaMin ?? 0.1, "betaMin", fn, { min: 0, max: 1e30 });
  const bmax = checkNumber(opts.betaMax ?? 20, "betaMax", fn, { min: 0, max: 1e30 });
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  // Below this |a T| the closed form loses digits to cancellation; the linear limit is exact to O(a).
  if (Math.abs(a * T) < 1e-6) {
    const s = linearSchedule({ beta0: bmin, beta1: bmax, T });
    return { ...s, name: `exponential(a=${a}, ${bmin}, ${bmax})` };
  }
  const d = (bmax - bmin) / Math.expm1(a * T);
  const beta = (t: number) => bmin + d * Math.expm1(a * t);
  const integral = (t: number) => bmin * t + d * (Math.expm1(a * t) / a - t);
  // expm1 as in the scalar forms: e^{a t} - 1 in float32 cancels for small a t.
  const betaT = (t: tf.Tensor) => tf.add(bmin, tf.mul(d, tf.expm1(tf.mul(a, t))));
  const integralT = (t: tf.Tensor) => tf.add(tf.mul(bmin, t), tf.mul(d, tf.sub(tf.div(tf.expm1(tf.mul(a, t)), a), t)));
  return scheduleFrom(`exponential(a=${a}, ${bmin}, ${bmax})`, beta, integral, betaT, integralT);
}

/**
 * Geometric schedule of the VE SDE (Song et al. 2021): sigma(t) = sigmaMin (sigmaMax/sigmaMin)^(t/T),
 * beta(t) = g(t)^2 = d sigma^2/dt = 2 sigma(t)^2 log(sigmaMax/sigmaMin) / T, B(t) = sigma(t)^2 - sigmaMin^2.
 * @example geometricSchedule({ sigmaMin: 0.01, sigmaMax: 50 }).integral(1); // 2500 - 1e-4
 */
export function geometricSchedule(opts: { sigmaMin?: number; sigmaMax?: number; T?: number } = {}): NoiseSchedule {
  const fn = "geometricSchedule";
  // Tensors are float32: sigmaMin^2 must not underflow to 0 and sigmaMax^2 = sigmaMin^2 (sigmaMax/sigmaMin)^2 must not
  // overflow (sigmaMin = 5e-256 gave exp(...) = Infinity times 0 = NaN std). 1e-18 and 1e18 keep both squares and the
  // ratio's square (exp(2 L T)) within [1e-36, 1e36], inside float32's normal range [1.2e-38, 3.4e38].
  const smin = checkNumber(opts.sigmaMin ?? 0.01, "sigmaMin", fn, { min: 1e-18 });
  const smax = checkNumber(opts.sigmaMax ?? 50, "sigmaMax", fn, { gt: 0, max: 1e18 });
  if (!(smax > smin)) fail(fn, "sigmaMax", `must exceed sigmaMin = ${smin}, got ${smax}`);
  if (!(smax / smin <= 1e18)) fail(fn, "sigmaMax", `/ sigmaMin must be <= 1e18 (float32 marginals would overflow), got ${smax / smin}`);
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  const L = Math.log(smax / smin) / T;
  const beta = (t: number) => 2 * L * smin * smin * Math.exp(2 * L * t);
  const integral = (t: number) => smin * smin * Math.expm1(2 * L * t);
  return scheduleFrom(`geometric(${smin}, ${smax})`, beta, integral,
    (t) => tf.mul(2 * L * smin * smin, tf.exp(tf.mul(2 * L, t))),
    // expm1: e^x - 1 in float32 loses the digits of a small x (2.4e-5 relative error in the std at t = 1e-5).
    (t) => tf.mul(smin * smin, tf.expm1(tf.mul(2 * L, t))));
}

/**
 * A schedule from a user function beta(t) >= 0. Without `integral`, B is tabulated once on a uniform grid over
 * [0, T] by composite Simpson's rule on each cell (error O(h^4) for smooth beta) and interpolated between grid
 * points by Simpson's rule on the partial cell. Tensor versions read t back to
 * JavaScript (slow for big batches; samplers use the scalar versions).
 * @example userSchedule({ beta: (t) => 1 + t * t }).integral(1); // 4/3
 */
export function userSchedule(opts: { beta: (t: number) => number; integral?: (t: number) => number; T?: number; grid?: number; name?: string }): NoiseSchedule {
  const fn = "userSchedule";
  if (opts === null || typeof opts !== "object" || typeof opts.beta !== "function") fail(fn, "opts.beta", "must be a function t -> beta(t)");
  if (opts.integral !== undefined && typeof opts.integral !== "function") fail(fn, "opts.integral", "must be a function t -> B(t) when given");
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  const grid = checkNumber(opts.grid ?? 2048, "grid", fn, { integer: true, min: 2 });
  const b = opts.beta;
  const beta = (t: number) => {
    const v = b(t);
    if (!Number.isFinite(v) || v < 0) fail(fn, "beta", `must return a finite non-negative number, got beta(${t}) = ${v}`);
    return v;
  };
  let integral = opts.integral;
  if (!integral) {
    const h = T / grid;
    const table = new Float64Array(grid + 1);
    for (let i = 0; i < grid; i++) {
      const t0 = i * h;
      table[i + 1] = table[i] + (h / 6) * (beta(t0) + 4 * beta(t0 + h / 2) + beta(t0 + h));
    }
    integral = (t: number) => {
      if (t <= 0) return beta(0) * t;
      if (t >= T) return table[grid] + beta(T) * (t - T);
      const i = Math.min(grid - 1, Math.floor(t / h));
      const t0 = i * h;
      return table[i] + ((t - t0) / 6) * (beta(t0) + 4 * beta(0.5 * (t0 + t)) + beta(t));
    };
  }
  const B = integral;
  const viaJs = (f: (t: number) => number) => (t: tf.Tensor) => {
    const src = t.dataSync();
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
    return tf.tensor(out, t.shape, "float32");
  };
  return scheduleFrom(opts.name ?? "user", beta, B, viaJs(beta), viaJs(B));
}

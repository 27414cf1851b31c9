/**
 * Discriminator guidance (Kim, Kim, Kang, Moon, ICML 2023, eq. 8): the model score is corrected by
 * c(x, t) = grad_x log(d / (1 - d)) = grad_x logit(x, t), which at the optimal discriminator is
 * grad log p_t^data - grad log p_t^model, so s + w c with w = 1 is the data score (the refinement of Husain,
 * De Bortoli, Nock, arXiv 2603.18817, applied at every noise level). As in the DG code, d is clipped to
 * [1e-5, 1 - 1e-5] (the gradient vanishes where the clip binds) and guidance acts only for t in [0.01, 1].
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import type { ScoreFn } from "../sde/types";
import { D_CLIP, type LogRatioFn } from "./discriminator";

export interface GuidanceOptions {
  /** Guidance weight w (default 1; the DG code's default is 2 on EDM's Euler step). */
  w?: number;
  /** Guidance acts for t in [lo, hi] (default [0.01, 1], as the DG code). */
  tRange?: [number, number];
  /** Clip of d, in [0, 0.5) (default 1e-5); 0 turns the clip off. */
  clip?: number;
}

/**
 * The correction grad_x logit(x, t) of a discriminator (or exact log ratio), with the logit clipped to the range
 * of d in [clip, 1 - clip]. x [n, d], t [n] -> [n, d].
 * @example const c = guidanceGradient(disc, x, t);
 */
export function guidanceGradient(disc: LogRatioFn, x: tf.Tensor, t: tf.Tensor, clip = D_CLIP): tf.Tensor2D {
  const fn = "guidanceGradient";
  if (!disc || typeof disc.logit !== "function") fail(fn, "disc", "must have logit(x, t) (a Discriminator or exactLogRatio)");
  checkNumber(clip, "clip", fn, { min: 0, lt: 0.5 });
  const bound = clip > 0 ? Math.log((1 - clip) / clip) : Infinity;
  return tf.tidy(() => {
    const g = tf.grad((xx: tf.Tensor) => {
      const v = disc.logit(xx, t);
      return tf.sum(Number.isFinite(bound) ? tf.clipByValue(v, -bound, bound) : v);
    });
    return g(tf.cast(x, "float32")) as tf.Tensor2D;
  });
}

/**
 * The guided score s(x, t) + w grad_x logit(x, t) as a ScoreFn, usable by any sampler; outside `tRange` it is
 * the model score unchanged.
 * @example
 * const guided = guidedScore(model.score, disc, { w: 1 });
 * const x = await eulerMaruyama(guided, sde, { n: 512, steps: 200, rng, shape: [2] });
 */
export function guidedScore(score: ScoreFn, disc: LogRatioFn, opts: GuidanceOptions = {}): ScoreFn {
  const fn = "guidedScore";
  if (typeof score !== "function") fail(fn, "score", "must be a score function (x, t) => tensor");
  if (!disc || typeof disc.logit !== "function") fail(fn, "disc", "must have logit(x, t) (a Discriminator or exactLogRatio)");
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const w = checkNumber(opts.w ?? 1, "opts.w", fn);
  const [lo, hi] = opts.tRange ?? [0.01, 1];
  checkNumber(lo, "opts.tRange[0]", fn);
  checkNumber(hi, "opts.tRange[1]", fn);
  if (!(lo <= hi)) fail(fn, "opts.tRange", `must be [lo, hi] with lo <= hi, got [${lo}, ${hi}]`);
  const clip = checkNumber(opts.clip ?? D_CLIP, "opts.clip", fn, { min: 0, lt: 0.5 });
  return (x: tf.Tensor, t: tf.Tensor) => tf.tidy(() => {
    const s = score(x, t);
    if (w === 0) return s;
    const ts = t.dataSync();
    const active = new Float32Array(ts.length);
    let any = false;
    for (let i = 0; i < ts.length; i++) if (ts[i] >= lo && ts[i] <= hi) { active[i] = w; any = true; }
    if (!any) return s;
    const c = guidanceGradient(disc, x, t, clip);
    return tf.add(s, tf.mul(c, tf.tensor2d(active, [ts.length, 1])));
  });
}

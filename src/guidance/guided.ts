/**
 * Guidance as a combination of two score functions: main + scale (main - guide) = (1 + scale) main - scale guide.
 *   - classifier-free guidance (Ho & Salimans 2022, eq. 6): main the conditional score s(x | c), guide the
 *     unconditional one s(x), so the guided score is (1 + w) s(x | c) - w s(x);
 *   - autoguidance (Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version of Itself", eq. 1): main the
 *     good model, guide a smaller or less-trained one; the paper's weight w is 1 + scale (w = 1: no guidance).
 * Scores and denoisers are affine in each other with the same weights (Tweedie), so combining scores is the same as
 * combining the papers' denoisers. Each result is a ScoreFn: it composes with every sampler, fusion and refinement.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import type { ScoreFn } from "../sde/types";

export interface GuidanceScaleOptions {
  /** The guidance scale w (any finite number; 0 is no guidance). */
  scale: number;
}

function combine(main: ScoreFn, guide: ScoreFn, opts: GuidanceScaleOptions, fn: string, names: [string, string]): ScoreFn {
  if (typeof main !== "function") fail(fn, names[0], "must be a score function (x, t) => tensor");
  if (typeof guide !== "function") fail(fn, names[1], "must be a score function (x, t) => tensor");
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object { scale }");
  const w = checkNumber(opts.scale, "opts.scale", fn);
  if (w === 0) return main;
  return (x, t) => tf.tidy(() => tf.sub(tf.mul(main(x, t), 1 + w), tf.mul(guide(x, t), w)));
}

/**
 * Classifier-free guidance (Ho & Salimans 2022, eq. 6): (1 + w) cond - w uncond.
 * @example const s = classifierFreeGuidance(model.classScore(3), model.classScore(null), { scale: 2 });
 */
export function classifierFreeGuidance(cond: ScoreFn, uncond: ScoreFn, opts: GuidanceScaleOptions): ScoreFn {
  return combine(cond, uncond, opts, "classifierFreeGuidance", ["cond", "uncond"]);
}

/**
 * Autoguidance (Karras et al. 2024, eq. 1, with their w = 1 + scale): (1 + scale) main - scale guide, where the
 * guide is a weaker version of the main model (smaller, or trained for fewer steps), conditioned the same way.
 * @example const s = autoguidance(big.score, small.score, { scale: 1.5 });
 */
export function autoguidance(main: ScoreFn, guide: ScoreFn, opts: GuidanceScaleOptions): ScoreFn {
  return combine(main, guide, opts, "autoguidance", ["main", "guide"]);
}

/** VP: a = e^{-B/2}, s^2 = 1 - e^{-B}, f = -beta x / 2, g^2 = beta (Song et al. 2021, eq. 11). */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../../tensor";
import { linearSchedule } from "../schedules";
import type { SDEKindSpec } from "./kind";

export const VP_KIND: SDEKindSpec = {
  name: "vp", label: "VP", description: "variance preserving (Song et al. 2021, eq. 11; DDPM's)", defaultTMin: 1e-3, takesSigmas: false, varianceIsB: false,
  defaultSchedule: ({ T, sigmaMin, sigmaMax }, fn) => {
    if (sigmaMin !== undefined || sigmaMax !== undefined) fail(fn, "sigmaMin", "and sigmaMax apply to the VE SDE only, not vp");
    return linearSchedule({ T });
  },
  marginalOf: (b) => ({ scale: Math.exp(-b / 2), std: Math.sqrt(-Math.expm1(-b)) }),
  marginalOfT: (b) => ({ scale: tf.exp(tf.mul(-0.5, b)), std: tf.sqrt(tf.neg(tf.expm1(tf.neg(b)))) }),
  driftCoef: (beta) => -beta / 2,
  driftCoefT: (beta) => tf.mul(-0.5, beta),
  diffusionSq: (beta) => beta,
  diffusionSqT: (beta) => beta,
  priorVar: () => 1,
};

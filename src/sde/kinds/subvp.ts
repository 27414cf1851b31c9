/** Sub-VP: a = e^{-B/2}, s = 1 - e^{-B}, f = -beta x / 2, g^2 = beta (1 - e^{-2B}) (Song et al. 2021, eq. 12). */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../../tensor";
import { linearSchedule } from "../schedules";
import type { SDEKindSpec } from "./kind";

export const SUBVP_KIND: SDEKindSpec = {
  name: "subvp", label: "sub-VP", description: "sub-variance preserving (Song et al. 2021, eq. 12)", defaultTMin: 1e-3, takesSigmas: false, varianceIsB: false,
  defaultSchedule: ({ T, sigmaMin, sigmaMax }, fn) => {
    if (sigmaMin !== undefined || sigmaMax !== undefined) fail(fn, "sigmaMin", "and sigmaMax apply to the VE SDE only, not subvp");
    return linearSchedule({ T });
  },
  marginalOf: (b) => ({ scale: Math.exp(-b / 2), std: -Math.expm1(-b) }),
  marginalOfT: (b) => ({ scale: tf.exp(tf.mul(-0.5, b)), std: tf.neg(tf.expm1(tf.neg(b))) }),
  driftCoef: (beta) => -beta / 2,
  driftCoefT: (beta) => tf.mul(-0.5, beta),
  diffusionSq: (beta, b) => beta * -Math.expm1(-2 * b),
  diffusionSqT: (beta, b) => tf.mul(beta, tf.neg(tf.expm1(tf.mul(-2, b)))),
  priorVar: () => 1,
};

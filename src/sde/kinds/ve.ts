/**
 * VE: a = 1, s^2 = B(t), f = 0, g^2 = beta (Song et al. 2021, eq. 9). The schedule's beta is g^2 and B the added
 * variance, so the geometric schedule gives s^2 = sigma(t)^2 - sigmaMin^2 exactly (x_t given x_0 started at t = 0).
 */
import * as tf from "@tensorflow/tfjs";
import { geometricSchedule } from "../schedules";
import type { SDEKindSpec } from "./kind";

export const VE_KIND: SDEKindSpec = {
  name: "ve", label: "VE", description: "variance exploding (Song et al. 2021, eq. 9; NCSN's)", defaultTMin: 1e-5, takesSigmas: true, varianceIsB: true,
  defaultSchedule: ({ T, sigmaMin, sigmaMax }) => geometricSchedule({ sigmaMin: sigmaMin ?? 0.01, sigmaMax: sigmaMax ?? 50, T }),
  marginalOf: (b) => ({ scale: 1, std: Math.sqrt(b) }),
  marginalOfT: (b) => ({ scale: tf.onesLike(b), std: tf.sqrt(b) }),
  driftCoef: () => 0,
  driftCoefT: (beta) => tf.zerosLike(beta),
  diffusionSq: (beta) => beta,
  diffusionSqT: (beta) => beta,
  priorVar: (bT) => bT,
};

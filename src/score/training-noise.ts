/**
 * The law of the training times t of DSM: uniform on [tMin, T] (Song et al. 2021) or EDM's log-normal noise levels,
 * ln sigma ~ N(P_mean, P_std^2) (Karras et al. 2022, Table 1: P_mean = -1.2, P_std = 1.2), truncated to the SDE's
 * range [sigma(tMin), sigma(T)] and mapped to times by t = sigma^-1 (src/sde/sigma.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail } from "../tensor";
import { sigmaAt, timeAtSigma } from "../sde";
import type { SDE } from "../sde/types";

export const TRAINING_NOISE = ["uniform", "lognormal"] as const;
export type TrainingNoise = (typeof TRAINING_NOISE)[number];

export interface TrainingNoiseOptions {
  /** "uniform" in t (default) or "lognormal" in sigma (EDM). */
  noise?: TrainingNoise;
  /** Log-normal location and scale of ln sigma (defaults -1.2 and 1.2, EDM's). */
  pMean?: number;
  pStd?: number;
}

/** Most draws per accepted time before the truncation is declared hopeless. */
const MAX_TRIES = 1000;

/**
 * Validates the options and returns a sampler of n training times in [tMin, T] (a tensor [n]) from `rng`.
 * @example const draw = trainingTimes(sde, 1e-3, { noise: "lognormal" }, "trainScore"); const t = draw(128, rng);
 */
export function trainingTimes(sde: SDE, tMin: number, o: TrainingNoiseOptions, fn: string): (n: number, rng: Rng) => tf.Tensor {
  const noise = o.noise ?? "uniform";
  if (!TRAINING_NOISE.includes(noise)) fail(fn, "opts.noise", `must be one of ${TRAINING_NOISE.join(", ")}, got ${JSON.stringify(noise)}`);
  const pMean = checkNumber(o.pMean ?? -1.2, "opts.pMean", fn);
  const pStd = checkNumber(o.pStd ?? 1.2, "opts.pStd", fn, { gt: 0 });
  if (noise === "uniform") return (n, rng) => rng.uniform([n], tMin, sde.T);
  const lo = Math.log(sigmaAt(sde, tMin)), hi = Math.log(sigmaAt(sde, sde.T));
  return (n, rng) => {
    const ts = new Float32Array(n);
    for (let i = 0, tries = 0; i < n; tries++) {
      if (tries > MAX_TRIES * n) fail(fn, "opts.pMean", `and opts.pStd put almost no mass on ln sigma in [${lo.toFixed(3)}, ${hi.toFixed(3)}] (the SDE's range); got pMean ${pMean}, pStd ${pStd}`);
      const z = pMean + pStd * rng.nextNormal();
      if (z >= lo && z <= hi) ts[i++] = Math.min(sde.T, Math.max(tMin, timeAtSigma(sde, Math.exp(z), fn)));
    }
    return tf.tensor1d(ts);
  };
}

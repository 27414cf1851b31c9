/**
 * Every sampler by a short name, with what a comparison needs to know about it: score calls per step, and whether
 * it needs a VP SDE. The %sample magic and the sampler study read this one table.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";
import { eulerMaruyama } from "./euler-maruyama";
import { probabilityFlowHeun } from "./heun";
import { predictorCorrector } from "./predictor-corrector";
import { ddim } from "./ddim";
import { edmHeun } from "./edm-heun";
import { ddpmAncestral, eulerAncestral } from "./ancestral";
import { dpmSolver2M, dpmSolver2S } from "./dpm-solver";

export interface SamplerEntry {
  label: string;
  /** Score evaluations per step (predictor–corrector: with its default one corrector step). */
  evals: number;
  vpOnly: boolean;
  /** Whether the map from prior to sample is deterministic. */
  deterministic: boolean;
  run(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor>;
}

const plain = (f: (s: ScoreFn, sde: SDE, o: SamplerOptions & { keepEvery?: undefined }) => Promise<tf.Tensor>) =>
  (s: ScoreFn, sde: SDE, o: SamplerOptions) => f(s, sde, { ...o, keepEvery: undefined });

export const SAMPLERS = {
  em: { label: "Euler–Maruyama (reverse SDE)", evals: 1, vpOnly: false, deterministic: false, run: plain(eulerMaruyama) },
  heun: { label: "Heun (probability-flow ODE in t)", evals: 2, vpOnly: false, deterministic: true, run: plain(probabilityFlowHeun) },
  pc: { label: "predictor–corrector", evals: 2, vpOnly: false, deterministic: false, run: plain(predictorCorrector) },
  ddim: { label: "DDIM", evals: 1, vpOnly: true, deterministic: true, run: plain(ddim) },
  edm: { label: "EDM Heun in sigma (Karras et al. Alg. 1)", evals: 2, vpOnly: false, deterministic: true, run: plain(edmHeun) },
  edm_churn: { label: "EDM stochastic Heun, churn 10 (Alg. 2)", evals: 2, vpOnly: false, deterministic: false, run: (s, sde, o) => edmHeun(s, sde, { ...o, keepEvery: undefined, churn: 10 }) },
  euler_a: { label: "Euler ancestral", evals: 1, vpOnly: false, deterministic: false, run: plain(eulerAncestral) },
  ddpm: { label: "DDPM ancestral", evals: 1, vpOnly: true, deterministic: false, run: plain(ddpmAncestral) },
  dpmpp_2m: { label: "DPM-Solver++ (2M)", evals: 1, vpOnly: false, deterministic: true, run: plain(dpmSolver2M) },
  dpmpp_2s: { label: "DPM-Solver++ (2S)", evals: 2, vpOnly: false, deterministic: true, run: plain(dpmSolver2S) },
} satisfies Record<string, SamplerEntry>;

export type SamplerName = keyof typeof SAMPLERS;
export const SAMPLER_NAMES = Object.keys(SAMPLERS) as SamplerName[];

/** The table entry of a sampler name. @example samplerByName("dpmpp_2m", "samplerStudy", "opts.samplers").run(...) */
export function samplerByName(name: unknown, fn: string, arg = "sampler"): SamplerEntry {
  if (!SAMPLER_NAMES.includes(name as SamplerName)) fail(fn, arg, `must be one of ${SAMPLER_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  return SAMPLERS[name as SamplerName];
}

/**
 * The exact class-conditional scores of a class-conditional Gaussian mixture, the ground truth for guidance: class c
 * has law p(x | c) (a GaussianMixture), the classes prior pi, and p(x) = sum_c pi_c p(x | c) is again a mixture
 * (PAPERS.md, closed forms); each is diffused by the SDE as in src/score/exact/mixture.ts.
 */
import { checkNumber, fail } from "../tensor";
import { GaussianMixture } from "../data/gmm";
import { mixtureScore, type ExactScoreModel } from "../score/exact";
import type { SDE, ScoreFn } from "../sde/types";

export interface ExactClassScores {
  /** Number of classes. */
  classes: number;
  /** The unconditional law p(x) as one mixture. */
  mixture: GaussianMixture;
  /** The unconditional score s(x) of p_t. */
  score: ScoreFn;
  /** The conditional score s(x | c) of class c. */
  classScore(c: number): ScoreFn;
}

/**
 * Exact conditional and unconditional scores of `classes` (one GaussianMixture per class) with prior `prior`
 * (default uniform) diffused by `sde`.
 * @example const e = exactClassScores(vpSDE(), [singleGaussian([-2], 0.5), singleGaussian([2], 0.5)]); const s0 = e.classScore(0);
 */
export function exactClassScores(sde: SDE, classes: GaussianMixture[], prior?: number[]): ExactClassScores {
  const fn = "exactClassScores";
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((g) => !(g instanceof GaussianMixture))) fail(fn, "classes", "must be a non-empty array of GaussianMixture (one per class)");
  const k = classes.length;
  const d = classes[0].dim;
  classes.forEach((g, c) => { if (g.dim !== d) fail(fn, `classes[${c}]`, `must have dimension ${d} like classes[0], got ${g.dim}`); });
  const pi = prior ?? new Array(k).fill(1 / k);
  if (!Array.isArray(pi) || pi.length !== k) fail(fn, "prior", `must be an array of ${k} class probabilities`);
  pi.forEach((p, c) => checkNumber(p, `prior[${c}]`, fn, { min: 0 }));
  const total = pi.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) fail(fn, "prior", `must sum to 1, got ${total}`);
  const spec = { weights: [] as number[], means: [] as number[][], covs: [] as (number | number[][])[] };
  classes.forEach((g, c) => g.spec.weights.forEach((w, j) => {
    spec.weights.push(pi[c] * w);
    spec.means.push(g.spec.means[j]);
    spec.covs.push(g.spec.covs === undefined ? 1 : g.spec.covs[j]);
  }));
  const mixture = new GaussianMixture(spec);
  const models: ExactScoreModel[] = classes.map((g) => mixtureScore(sde, g));
  return {
    classes: k,
    mixture,
    score: mixtureScore(sde, mixture).score,
    classScore(c) {
      if (!Number.isInteger(c) || c < 0 || c >= k) fail("exactClassScores.classScore", "c", `must be an integer class in [0, ${k}), got ${c}`);
      return models[c].score;
    },
  };
}

/**
 * Shared by the sampler tests (not a test file): samplers against a Gaussian target with its exact score (d = 2 and 10, VP and VE, plus sub-VP for
 * Euler–Maruyama). Two checks per run:
 *  1. Sample moments against the exact law of the discretised sampler (gaussian-law.ts): n draws give standard
 *     errors sqrt(C_ii / n) for a mean and sqrt((C_ii C_jj + C_ij^2) / n) for a covariance entry; 4.5 of them
 *     are allowed (65 comparisons at d = 10 make a false alarm about 65 * 7e-6 = 5e-4 likely, and seeds are
 *     fixed). This isolates implementation errors from discretisation error.
 *  2. The same moments against the target, with the tolerance widened by the discretisation bias |law - target|
 *     that the exact recursion gives at this step count; and that bias itself is bounded by a KL budget (the
 *     exact KL of the discretised law to the target, measured once over step counts: it falls as 1/steps for
 *     Euler–Maruyama and DDIM and plateaus for Heun at the prior-mismatch floor, about 2e-5 (VP) and 2e-3 (VE,
 *     where p_T has mean mu, not 0)).
 * The predictor–corrector sampler is not affine (its Langevin step size depends on |z| / |s|), so it is checked
 * against the target with a bias allowance measured once with n = 20000 (see below).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { subVpSDE, veSDE, vpSDE } from "../../src/sde/sde";
import type { SDE } from "../../src/sde/types";
import { gaussianScore } from "../../src/score/exact";
import { LawKind, exactLaw, momentErrors, moments, testCov, testMean } from "./gaussian-law";

export const N = 2000;
const Z = 4.5;

export type Run = { name: string; law?: LawKind; steps: number; klMax: number; run: (s: ReturnType<typeof gaussianScore>, sde: SDE, rng: Rng, d: number) => Promise<tf.Tensor> };
const sdes: [string, () => SDE][] = [["vp", () => vpSDE()], ["ve", () => veSDE()], ["subvp", () => subVpSDE()]];

/** Registers the Gaussian-target checks of one sampler: d = 2 and 10, VP and VE (DDIM: VP only; sub-VP for Euler–Maruyama). */
export function gaussianTargetTests(r: Run): void {
  for (const d of [2, 10]) {
    for (const [sdeName, makeSde] of sdes) {
      {
        if (r.name === "ddim" && sdeName !== "vp") continue;
        if (sdeName === "subvp" && r.name !== "eulerMaruyama") continue;
        test(`${r.name} on ${sdeName}, d = ${d}: moments match the exact law and the target`, async () => {
          await initBackend();
          const sde = makeSde();
          const mean = testMean(d), cov = testCov(d);
          const m = gaussianScore(sde, mean, cov);
          const x = await r.run(m, sde, new Rng(100 + d), d);
          const got = moments(x);
          tf.dispose(x); m.dispose();
          let bias: number;
          if (r.law) {
            const law = exactLaw(r.law, sde, mean, cov, r.steps);
            assert.ok(law.kl < r.klMax, `discretisation KL ${law.kl} above budget ${r.klMax}`);
            assert.deepEqual(momentErrors(got, law, N, Z), [], "sample vs exact law of the sampler");
            bias = Math.max(...law.mean.map((v, i) => Math.abs(v - mean[i])), ...law.cov.flatMap((row, i) => row.map((v, j) => Math.abs(v - cov[i][j]))));
          } else {
            // Langevin with step e = 2 r^2 |z|^2/|s|^2 ~ 2 r^2 v on a level of variance v has stationary variance
            // v / (1 - e / (2v)) = v (1 + r^2 + ...): with r = 0.16 about 2.6% of a variance. Measured once with
            // n = 20000 (100 and 200 steps, VP and VE, d = 2 and 10): variances 2.5% to 4% high, mean errors within
            // sampling error (<= 0.02). Allow 5% of the largest variance.
            bias = 0.05 * Math.max(...cov.map((row, i) => row[i]));
          }
          assert.deepEqual(momentErrors(got, { mean, cov }, N, Z, bias), [], "sample vs target");
        });
      }
    }
  }
}

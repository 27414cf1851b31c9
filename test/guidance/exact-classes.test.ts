import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture, singleGaussian } from "../../src/data/gmm";
import { classifierFreeGuidance } from "../../src/guidance/guided";
import { exactClassScores } from "../../src/guidance/exact-classes";

test("CFG of the exact class scores of a 1-D two-class mixture equals (1 + w) s(x | c) - w s(x) computed by hand", async () => {
  await initBackend();
  const sde = vpSDE();
  const cls = [{ mu: -2, v: 0.5 }, { mu: 1.5, v: 1 }], pi = [0.4, 0.6];
  const exact = exactClassScores(sde, cls.map((c) => singleGaussian([c.mu], c.v)), pi);
  const xs = [-3, -0.5, 0.4, 2.5], ts = [0.05, 0.3, 0.6, 0.9];
  for (const w of [0, 1, 3.5, -0.5]) {
    for (const c of [0, 1]) {
      const guided = classifierFreeGuidance(exact.classScore(c), exact.score, { scale: w });
      const got = guided(tf.tensor2d(xs, [4, 1]), tf.tensor1d(ts)).dataSync();
      xs.forEach((x, i) => {
        const { scale: a, std: s } = sde.marginalAt(ts[i]);
        const comp = cls.map((k, j) => {
          const vt = a * a * k.v + s * s;
          return { p: (pi[j] / Math.sqrt(2 * Math.PI * vt)) * Math.exp(-((x - a * k.mu) ** 2) / (2 * vt)), sc: -(x - a * k.mu) / vt };
        });
        const uncond = (comp[0].p * comp[0].sc + comp[1].p * comp[1].sc) / (comp[0].p + comp[1].p);
        const want = (1 + w) * comp[c].sc - w * uncond;
        // float32 evaluation of scores up to ~10: 1e-4 relative to max(1, |want|), times (1 + 2|w|) for the combination.
        assert.ok(Math.abs(got[i] - want) < 1e-4 * (1 + 2 * Math.abs(w)) * Math.max(1, Math.abs(want)), `w=${w} c=${c} x=${x}: ${got[i]} vs ${want}`);
      });
    }
  }
});

test("bad class input: an out-of-range class or a prior that does not sum to 1 names the function and the argument", () => {
  const sde = vpSDE();
  const exact = exactClassScores(sde, [singleGaussian([-2], 0.5), singleGaussian([2], 0.5)]);
  assert.throws(() => exact.classScore(2), /exactClassScores\.classScore: argument 'c' must be an integer class in \[0, 2\), got 2/);
  assert.throws(() => exact.classScore(0.5), /argument 'c' must be an integer class/);
  assert.throws(() => exactClassScores(sde, [singleGaussian([0], 1)], [0.5]), /exactClassScores: argument 'prior' must sum to 1/);
});

test("the unconditional law is one mixture whose weights are the prior times each class's own weights", () => {
  const two = new GaussianMixture({ weights: [0.25, 0.75], means: [[-1], [1]], covs: [0.5, 2] });
  const exact = exactClassScores(vpSDE(), [two, singleGaussian([3], 1)], [0.4, 0.6]);
  assert.equal(exact.classes, 2);
  // Products of short decimals: exact up to one float64 rounding.
  exact.mixture.spec.weights.forEach((w, i) => assert.ok(Math.abs(w - [0.1, 0.3, 0.6][i]) < 1e-15, `weight ${i}: ${w}`));
  assert.deepEqual(exact.mixture.spec.means, [[-1], [1], [3]]);
  assert.deepEqual(exact.mixture.spec.covs, [0.5, 2, 1]);
  assert.throws(() => exactClassScores(vpSDE(), [singleGaussian([0], 1), singleGaussian([0, 0], 1)]), /exactClassScores: argument 'classes\[1\]' must have dimension 1 like classes\[0\], got 2/);
  assert.throws(() => exactClassScores(vpSDE(), []), /exactClassScores: argument 'classes' must be a non-empty array of GaussianMixture/);
});

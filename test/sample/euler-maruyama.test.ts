/**
 * eulerMaruyama (src/sample/euler-maruyama.ts). Issue 19, item 9: lab.bounds.exactGaussianKL({ sampler: "euler" }) is the law of lab.eulerMaruyama (whose last
 * step adds no noise), and `lastStepNoise: true` names the textbook scheme.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { vpSDE } from "../../src/sde/sde";
import { gaussianScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample/euler-maruyama";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { momentErrors, moments } from "./gaussian-law";
import { N, gaussianTargetTests } from "./gaussian-target";

gaussianTargetTests({ name: "eulerMaruyama", law: "em", steps: 200, klMax: 5e-4, run: (m, sde, rng, d) => eulerMaruyama(m.score, sde, { n: N, steps: 200, rng, shape: [d] }) });

test("eulerMaruyama's sample moments match exactGaussianKL's euler law, not the one with last-step noise (VP, 10 steps)", async () => {
  await initBackend();
  const sde = vpSDE();
  const target = { mean: [1, -0.5], cov: [[0.3, 0.1], [0.1, 0.2]] };
  const model = gaussianScore(sde, target.mean, target.cov);
  const n = 20000;
  const x = await eulerMaruyama(model.score, sde, { n, steps: 10, rng: new Rng(4), shape: [2] });
  const got = moments(x);
  const law = exactGaussianKL({ sde, target, steps: 10, sampler: "euler" });
  const textbook = exactGaussianKL({ sde, target, steps: 10, sampler: "euler", lastStepNoise: true });
  // 5 standard errors per entry (gaussian-law.ts's momentErrors): a false alarm per entry is about 6e-7.
  assert.deepEqual(momentErrors(got, law, n, 5), []);
  // The last step's noise g(t_9)^2 h is about 0.21 on the diagonal: far outside 5 standard errors (about 0.003).
  assert.ok(Math.abs(textbook.cov[0][0] - law.cov[0][0] - 0.21) < 0.01, `${textbook.cov[0][0]} - ${law.cov[0][0]}`);
  assert.notDeepEqual(momentErrors(got, textbook, n, 5), []);
  x.dispose();
  model.dispose();
});


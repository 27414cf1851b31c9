import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { ddim, eulerMaruyama, logLikelihood, predictorCorrector, probabilityFlowHeun } from "../../src/sample";
import type { SamplerOptions, ScoreFn, SDE } from "../../src/sde";

type AnySampler = (score: ScoreFn, sde: SDE, opts: SamplerOptions) => Promise<tf.Tensor>;
// predictorCorrector's Langevin step size is a batch statistic (score_sde), so only its predictor is row-wise.
const samplers: [string, AnySampler, object][] = [
  ["eulerMaruyama", eulerMaruyama as AnySampler, {}], ["probabilityFlowHeun", probabilityFlowHeun as AnySampler, {}],
  ["predictorCorrector", predictorCorrector as AnySampler, { correctorSteps: 0 }], ["ddim", ddim as AnySampler, { eta: 1 }],
];

test("per-row noise: the first k samples of n = k and n = 2k with one seed are equal, for every sampler", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [1, -1], [[1, 0.3], [0.3, 0.5]]);
  const k = 8;
  for (const [name, sampler, extra] of samplers) {
    const small = await sampler(m.score, sde, { n: k, steps: 20, rng: new Rng(5), shape: [2], ...extra });
    const big = await sampler(m.score, sde, { n: 2 * k, steps: 20, rng: new Rng(5), shape: [2], ...extra });
    const a = small.arraySync() as number[][], b = (big.arraySync() as number[][]).slice(0, k);
    a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-6 * (1 + Math.abs(v)), `${name}: sample ${i} changed with n: ${v} vs ${b[i][j]}`)));
    // The second half is not a copy of the first: each row has its own stream.
    assert.notDeepEqual(b, (big.arraySync() as number[][]).slice(k));
    tf.dispose([small, big]);
  }
  m.dispose();
});

test("per-row noise: two calls with one Rng differ (the Rng advances), Hutchinson likelihoods are per row too", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [0, 0], 1);
  const rng = new Rng(1);
  const x1 = await eulerMaruyama(m.score, sde, { n: 4, steps: 5, rng, shape: [2] });
  const x2 = await eulerMaruyama(m.score, sde, { n: 4, steps: 5, rng, shape: [2] });
  assert.notDeepEqual(x1.arraySync(), x2.arraySync());
  const x = new Rng(2).normal([6, 2]);
  const head = tf.slice(x, [0, 0], [3, 2]);
  const opts = { steps: 10, divergence: "hutchinson" as const };
  const all = await logLikelihood(m.score, sde, x, { ...opts, rng: new Rng(3) });
  const part = await logLikelihood(m.score, sde, head, { ...opts, rng: new Rng(3) });
  part.logp.forEach((v, i) => assert.ok(Math.abs(v - all.logp[i]) < 1e-4, `row ${i}: ${v} vs ${all.logp[i]}`));
  tf.dispose([x1, x2, x, head]);
  m.dispose();
});

test("RowRng: row i depends on the base and i only; shapes must have one row per stream", () => {
  const a = new RowRng(new Rng(9), 3).normal([3, 4]).arraySync() as number[][];
  const b = new RowRng(new Rng(9), 5).normal([5, 4]).arraySync() as number[][];
  assert.deepEqual(a, b.slice(0, 3));
  assert.throws(() => new RowRng(new Rng(9), 3).normal([4, 4]), /RowRng.normal: argument 'shape' must be \[3, \.\.\.\]/);
  // Forks of a large seed (as split() makes) differ by key: the seed's high bits are kept.
  const big = new Rng(2 ** 40 + 5);
  assert.notDeepEqual(Array.from(big.fork(1).normalArray(3)), Array.from(new Rng(2 ** 40 + 6).fork(1).normalArray(3)));
});

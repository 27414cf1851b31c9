// The samplers table (src/sample/sampler-table.ts): every sampler by name, and the properties the table promises of
// each row.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { veSDE, vpSDE } from "../../src/sde/sde";
import { gaussianScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample/euler-maruyama";
import { probabilityFlowHeun } from "../../src/sample/heun";
import { predictorCorrector } from "../../src/sample/predictor-corrector";
import { ddim } from "../../src/sample/ddim";
import { SAMPLERS, SAMPLER_NAMES, samplerByName } from "../../src/sample/sampler-table";
import type { SamplerOptions, ScoreFn, SDE } from "../../src/sde/types";

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


test("per-row noise holds for every row of the table, and deterministic rows give the same sample from the same prior", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [1, -1], [[1, 0.3], [0.3, 0.5]]);
  for (const name of SAMPLER_NAMES) {
    const e = SAMPLERS[name];
    // predictorCorrector's Langevin step size is a batch statistic (score_sde): only its predictor is row-wise.
    if (name === "pc") continue;
    const opts = { steps: 4, shape: [2] };
    const small = await e.run(m.score, sde, { ...opts, n: 3, rng: new Rng(8) });
    const big = await e.run(m.score, sde, { ...opts, n: 6, rng: new Rng(8) });
    const a = small.arraySync() as number[][], b = (big.arraySync() as number[][]).slice(0, 3);
    // Same rows, same float32 operations per row; 1e-6 relative allows for a batched product summing in another order.
    a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-6 * (1 + Math.abs(v)), `${name}: row ${i} changed with n`)));
    tf.dispose([small, big]);
  }
  m.dispose();
});

test("the table: ten named rows, score calls per step, VP-only rows refuse VE, and samplerByName names the choices", async () => {
  await initBackend();
  assert.deepEqual(SAMPLER_NAMES, ["em", "heun", "pc", "ddim", "edm", "edm_churn", "euler_a", "ddpm", "dpmpp_2m", "dpmpp_2s"]);
  assert.deepEqual(SAMPLER_NAMES.filter((k) => SAMPLERS[k].vpOnly), ["ddim", "ddpm"]);
  assert.deepEqual(SAMPLER_NAMES.filter((k) => SAMPLERS[k].evals === 2), ["heun", "pc", "edm", "edm_churn", "dpmpp_2s"]);
  const ve = veSDE();
  const m = gaussianScore(ve, [0, 0]);
  for (const name of ["ddim", "ddpm"] as const) {
    await assert.rejects(SAMPLERS[name].run(m.score, ve, { n: 2, steps: 2, rng: new Rng(0), shape: [2] }), /argument 'sde' must be a VP SDE/);
  }
  // A row's run drops keepEvery, so it always gives the sample itself.
  const x = await SAMPLERS.em.run(m.score, ve, { n: 2, steps: 2, rng: new Rng(0), shape: [2], keepEvery: 1 });
  assert.ok(x instanceof tf.Tensor);
  assert.deepEqual(x.shape, [2, 2]);
  x.dispose();
  m.dispose();
  assert.equal(samplerByName("dpmpp_2m", "f"), SAMPLERS.dpmpp_2m);
  assert.throws(() => samplerByName("euler", "samplerStudy", "opts.samplers"),
    /samplerStudy: argument 'opts.samplers' must be one of em, heun, pc, ddim, edm, edm_churn, euler_a, ddpm, dpmpp_2m, dpmpp_2s, got "euler"/);
  assert.throws(() => samplerByName(3, "f"), /f: argument 'sampler' must be one of .*, got 3/);
});

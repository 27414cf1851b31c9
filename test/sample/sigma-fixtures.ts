/**
 * Shared by the tests of the sigma-frame samplers (edm-heun, dpm-solver, ancestral): a Gaussian target
 * N(M, diag(LAM)) with its exact score, and the checks against the exact law of each sampler's own discretisation
 * (sigma-law.ts). Not a test file.
 *  - Deterministic samplers: the output must be P x_T + R of its own prior row x_T (read back with keepEvery),
 *    elementwise. Tolerance 1e-4 (1 + |x|): float32 keeps 2^-24 = 6e-8 relative per operation, and the scaled
 *    frame x / a carries values up to sigma(T) |x_T| (about 150 at VP's T), so a step's rounding is about 1e-5 and
 *    ten-odd steps stay under 1e-4 in absolute size; a wrong coefficient moves outputs by 1e-2 or more.
 *  - Stochastic samplers: sample mean and variance against R and P^2 var(x_T) + q, with n = 20000 rows per
 *    coordinate: standard errors sqrt(V / n) and V sqrt(2 / n) (1% of V); 5 of them are allowed, a false alarm
 *    per comparison has probability about 6e-7. Each test also checks that the noise it checks is visible
 *    (q larger than 10 standard errors), so a sampler that dropped its noise would fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";
import { isAbortError } from "../../src/tensor/long-work";
import { veSDE, vpSDE, subVpSDE } from "../../src/sde/sde";
import type { SDE, GridSpec, SamplerOptions, ScoreFn } from "../../src/sde/types";
import { gaussianScore } from "../../src/score/exact";
import { noiseGrid } from "../../src/sample/grids";
import { SigmaLawKind, exactFlowMap, sigmaLaw } from "./sigma-law";

export const M = [1.5, -0.5, 0.25];
export const LAM = [0.4, 1.0, 2.5];
export const cov = LAM.map((l, i) => LAM.map((_, j) => (i === j ? l : 0)));
const priorVar = (sde: SDE) => (sde.kind === "ve" ? sde.marginalAt(sde.T).std ** 2 : 1);

export type Det = { name: string; kind: SigmaLawKind; run: (score: ReturnType<typeof gaussianScore>["score"], sde: SDE, o: { n: number; steps: number; rng: Rng; shape: number[]; grid: GridSpec; keepEvery: number }) => Promise<{ x: tf.Tensor; states: tf.Tensor[] }> };
/** Registers, for each SDE and grid rule, the check that each deterministic sampler is the exact affine map of its prior row. */
export function affineMapTests(deterministic: Det[]): void {
  for (const [sdeName, makeSde] of [["vp", () => vpSDE()], ["ve", () => veSDE()], ["subvp", () => subVpSDE()]] as const) {
    for (const grid of ["karras", "logsnr", "uniform"] as const) {
      test(`${deterministic.map((s) => s.name).join(", ")}: deterministic samplers are the exact affine map of their prior row (${sdeName}, ${grid} grid, 8 steps)`, async () => {
        await initBackend();
        const sde = makeSde();
        const model = gaussianScore(sde, M, cov);
        const steps = 8;
        const ts = noiseGrid(sde, steps, grid);
        for (const s of deterministic) {
          const { x, states } = await s.run(model.score, sde, { n: 64, steps, rng: new Rng(3), shape: [3], grid, keepEvery: steps });
          const prior = states[0].arraySync() as number[][], out = x.arraySync() as number[][];
          for (let j = 0; j < 3; j++) {
            const { P, R } = sigmaLaw(s.kind, sde, M[j], LAM[j], ts);
            for (let i = 0; i < 64; i++) {
              const want = P * prior[i][j] + R;
              assert.ok(Math.abs(out[i][j] - want) <= 1e-4 * (1 + Math.abs(want)), `${s.name} row ${i} coord ${j}: ${out[i][j]} vs ${want}`);
            }
          }
          tf.dispose([x, ...states]);
        }
        model.dispose();
      });
    }
}
}

/** Registers the check that the second-order solvers' exact laws converge to the probability-flow map at order 2. */
export function secondOrderTest(kinds: SigmaLawKind[]): void {
  test(`${kinds.join(", ")}: the second-order solvers converge to the probability-flow map at order about 2 (VP, Karras grid)`, () => {
    const sde = vpSDE();
    for (const kind of kinds) {
      const err = (steps: number) => {
        const law = sigmaLaw(kind, sde, M[0], LAM[0], noiseGrid(sde, steps, "karras"));
        const ex = exactFlowMap(sde, M[0], LAM[0], sde.tMin);
        return Math.abs(law.P - ex.P) + Math.abs(law.R - ex.R);
      };
      // Second order: doubling the steps divides the error by about 4; first order would give about 2.
      const ratio = err(40) / err(80);
      assert.ok(ratio > 3, `${kind}: error ratio ${ratio} between 40 and 80 steps (errors ${err(40)}, ${err(80)})`);
      assert.ok(err(80) < 3e-3, `${kind}: error ${err(80)} at 80 steps`);
    }
  });
}

export type Sto = { name: string; kind: SigmaLawKind; sde: () => SDE; opts: { churn?: number; eta?: number }; run: (score: ReturnType<typeof gaussianScore>["score"], sde: SDE, o: { n: number; steps: number; rng: Rng; shape: number[]; grid: GridSpec }) => Promise<tf.Tensor> };
/** Registers the moment checks of each stochastic sampler against the exact law of its discretisation. */
export function stochasticLawTests(stochastic: Sto[]): void {
  for (const s of stochastic) {
    test(`${s.name}: sample mean and variance match the exact law of its discretisation (6 steps, Karras grid)`, async () => {
      await initBackend();
      const sde = s.sde();
      const model = gaussianScore(sde, M, cov);
      const n = 20000, steps = 6;
      const ts = noiseGrid(sde, steps, "karras");
      const x = await s.run(model.score, sde, { n, steps, rng: new Rng(17), shape: [3], grid: "karras" });
      const rows = x.arraySync() as number[][];
      for (let j = 0; j < 3; j++) {
        const { P, R, q } = sigmaLaw(s.kind, sde, M[j], LAM[j], ts, s.opts);
        const V = P * P * priorVar(sde) + q;
        const col = rows.map((r) => r[j]);
        const mean = col.reduce((a, b) => a + b, 0) / n;
        const v = col.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
        assert.ok(Math.abs(mean - R) < 5 * Math.sqrt(V / n), `${s.name} coord ${j}: mean ${mean} vs ${R}`);
        assert.ok(Math.abs(v - V) < 5 * V * Math.sqrt(2 / n), `${s.name} coord ${j}: variance ${v} vs ${V}`);
        assert.ok(q > 10 * V * Math.sqrt(2 / n), `${s.name} coord ${j}: the noise (q = ${q}) must be visible at this n`);
      }
      x.dispose();
      model.dispose();
    });
}
}

/** Registers the check that the stochastic samplers' exact laws tend to the target's marginal as steps grow. */
export function lawLimitTest(stochastic: Sto[]): void {
  test(`${stochastic.map((s) => s.name).join(", ")}: the stochastic samplers' exact laws tend to the target's marginal at tMin as steps grow`, () => {
    for (const s of stochastic) {
      const sde = s.sde();
      const kl = (steps: number) => {
        const { P, R, q } = sigmaLaw(s.kind, sde, M[1], LAM[1], noiseGrid(sde, steps, "karras"), s.opts);
        const { scale: a, std: sd } = sde.marginalAt(sde.tMin);
        const mT = a * M[1], vT = a * a * LAM[1] + sd * sd, V = P * P * priorVar(sde) + q;
        return 0.5 * (V / vT + (R - mT) ** 2 / vT - 1 - Math.log(V / vT));
      };
      assert.ok(kl(400) < kl(25) / 4, `${s.name}: KL ${kl(25)} at 25 steps, ${kl(400)} at 400`);
      assert.ok(kl(400) < 2e-3, `${s.name}: KL ${kl(400)} at 400 steps`);
    }
  });
}

export type PlainSampler = (s: ScoreFn, sde: SDE, o: SamplerOptions & { keepEvery?: undefined }) => Promise<tf.Tensor>;

/** Registers the long-work contract check (progress per step, AbortError before the next step, no leak) for samplers. */
export function contractTest(all: PlainSampler[]): void {
  test(`${all.map((f) => f.name).join(", ")}: new samplers honour the long-work contract: progress per step, AbortError, no leaked tensors`, async () => {
    await initBackend();
    const sde = vpSDE();
    const model = gaussianScore(sde, M, cov);
    const base = { n: 16, steps: 5, shape: [3], grid: "karras" as const };
    for (const f of all) {
      const seen: number[] = [];
      const before = tf.memory().numTensors;
      const x = await f(model.score, sde, { ...base, rng: new Rng(1), onStep: (p) => seen.push(p.step) });
      x.dispose();
      assert.deepEqual(seen, [1, 2, 3, 4, 5], f.name);
      assert.equal(tf.memory().numTensors, before, `${f.name} leaked tensors`);
      const ac = new AbortController();
      await assert.rejects(f(model.score, sde, { ...base, rng: new Rng(1), signal: ac.signal, onStep: (p) => { if (p.step === 2) ac.abort(); } }),
        (e: unknown) => isAbortError(e) && /before step 3 of 5/.test((e as Error).message));
      assert.equal(tf.memory().numTensors, before, `${f.name} leaked tensors on abort`);
    }
    model.dispose();
  });
}

/** The VP SDE, the Gaussian target's exact score and small valid options, for the bad-option tests. */
export async function badOptionsSetting(): Promise<{ sde: SDE; model: ReturnType<typeof gaussianScore>; o: { n: number; steps: number; rng: Rng; shape: number[] } }> {
  await initBackend();
  const sde = vpSDE();
  return { sde, model: gaussianScore(sde, M, cov), o: { n: 4, steps: 3, rng: new Rng(0), shape: [3] } };
}

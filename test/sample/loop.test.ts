import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, initBackend } from "../../src/tensor";
import type { ProgressRecord } from "../../src/tensor";
import { veSDE, vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { ddim, eulerMaruyama, logLikelihood, predictorCorrector, probabilityFlowHeun, timeGrid } from "../../src/sample";
import type { SamplerOptions, ScoreFn, SDE } from "../../src/sde";

type AnySampler = (score: ScoreFn, sde: SDE, opts: SamplerOptions) => Promise<unknown>;
const samplers: [string, AnySampler][] = [
  ["eulerMaruyama", eulerMaruyama], ["probabilityFlowHeun", probabilityFlowHeun], ["predictorCorrector", predictorCorrector], ["ddim", ddim],
];

test("progress: one record per step, steps 1..total, t from the grid ending at tMin", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [0, 0]);
  for (const [name, sampler] of samplers) {
    const recs: ProgressRecord[] = [];
    const x = await sampler(m.score, sde, { n: 8, steps: 13, rng: new Rng(0), shape: [2], onStep: (r) => recs.push({ ...r }) });
    tf.dispose(x as tf.Tensor);
    assert.deepEqual(recs.map((r) => r.step), Array.from({ length: 13 }, (_, i) => i + 1), name);
    assert.ok(recs.every((r) => r.total === 13), name);
    assert.equal(recs[12].t, sde.tMin, name);
    assert.deepEqual(recs.map((r) => r.t), timeGrid(sde, 13).slice(1), name);
  }
  m.dispose();
});

test("no tensor leak across repeated sampler and likelihood calls", async () => {
  const sde = vpSDE();
  const m = gaussianScore(sde, [1, -1], [[1, 0.3], [0.3, 0.5]]);
  const x0 = tf.tensor2d([[0, 0], [1, 1]]);
  const once = async () => {
    for (const [, sampler] of samplers) tf.dispose(await sampler(m.score, sde, { n: 16, steps: 5, rng: new Rng(1), shape: [2] }) as tf.Tensor);
    const tr = await eulerMaruyama(m.score, sde, { n: 4, steps: 6, rng: new Rng(2), shape: [2], keepEvery: 2 });
    tf.dispose([tr.x, ...tr.states]);
    await logLikelihood(m.score, sde, x0, { steps: 3 });
    await logLikelihood(m.score, sde, x0, { steps: 3, divergence: "hutchinson", rng: new Rng(3), method: "heun" });
  };
  await once();
  const before = tf.memory().numTensors;
  for (let k = 0; k < 3; k++) await once();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(x0); m.dispose();
});

test("keepEvery returns the trajectory: the prior sample, then every k steps, with times", async () => {
  const sde = veSDE();
  const m = gaussianScore(sde, [0, 0, 0]);
  const tr = await probabilityFlowHeun(m.score, sde, { n: 5, steps: 10, rng: new Rng(4), shape: [3], keepEvery: 5 });
  const ts = timeGrid(sde, 10);
  assert.deepEqual(tr.times, [ts[0], ts[5], ts[10]]);
  assert.equal(tr.states.length, 3);
  assert.deepEqual(tr.states[2].arraySync(), tr.x.arraySync());
  assert.deepEqual(tr.states[0].shape, [5, 3]);
  // The first state is the prior sample: the same Rng seed reproduces it (drawn per row, as the sampler does).
  const p = sde.prior(5, [3], RowRng.from(new Rng(4), 5));
  assert.deepEqual(tr.states[0].arraySync(), p.arraySync());
  tf.dispose([tr.x, ...tr.states, p]); m.dispose();
});

test("abort: a signal raised during step k stops before step k + 1 with an AbortError, leaking nothing", async () => {
  const sde = vpSDE();
  const m = gaussianScore(sde, [0, 0]);
  for (const [name, sampler] of samplers) {
    const before = tf.memory().numTensors;
    const ctrl = new AbortController();
    let seen = 0;
    await assert.rejects(
      sampler(m.score, sde, { n: 8, steps: 50, rng: new Rng(0), shape: [2], signal: ctrl.signal, onStep: (r) => { seen = r.step; if (r.step === 3) ctrl.abort(); } }),
      (e: Error) => e.name === "AbortError" && new RegExp(`${name}: aborted before step 4 of 50`).test(e.message));
    assert.equal(seen, 3, name);
    assert.equal(tf.memory().numTensors, before, name);
  }
  // An abort from outside (a timer, like a kernel interrupt) lands because the loop yields to the event loop.
  const ctrl = new AbortController();
  let seen = 0;
  setTimeout(() => ctrl.abort(), 30);
  await assert.rejects(eulerMaruyama(m.score, sde, { n: 8, steps: 100000, rng: new Rng(0), shape: [2], signal: ctrl.signal, onStep: (r) => { seen = r.step; } }), { name: "AbortError" });
  assert.ok(seen > 0 && seen < 100000, `stopped after ${seen} steps`);
  m.dispose();
});

test("bad sampler input throws errors that name the problem", async () => {
  const vp = vpSDE();
  const m = gaussianScore(vp, [0, 0]);
  const ok = { n: 4, steps: 3, rng: new Rng(0), shape: [2] };
  for (const [name, sampler] of samplers) {
    await assert.rejects(sampler(m.score, vp, { ...ok, steps: -5 }), new RegExp(`${name}: argument 'opts.steps' must be >= 1`));
    await assert.rejects(sampler(m.score, vp, { ...ok, steps: 2.5 }), new RegExp(`${name}: argument 'opts.steps' must be an integer`));
    await assert.rejects(sampler(m.score, vp, { ...ok, n: 0 }), new RegExp(`${name}: argument 'opts.n'`));
    await assert.rejects(sampler(m.score, vp, { ...ok, rng: undefined as never }), new RegExp(`${name}: argument 'opts.rng' must be an Rng`));
    await assert.rejects(sampler(m.score, vp, { ...ok, shape: [] }), new RegExp(`${name}: argument 'opts.shape'`));
    await assert.rejects(sampler(null as never, vp, ok), new RegExp(`${name}: argument 'score'`));
    await assert.rejects(sampler(m.score, {} as never, ok), new RegExp(`${name}: argument 'sde'`));
    await assert.rejects(sampler(m.score, vp, { ...ok, keepEvery: 0 }), new RegExp(`${name}: argument 'opts.keepEvery'`));
    // A score of the wrong shape is caught at the first step, and the wrong-rank x reaches the score's own check.
    await assert.rejects(sampler((x) => tf.sum(x, 1), vp, ok), new RegExp(`${name}: argument 'score' must return a tensor shaped like x`));
    await assert.rejects(sampler(m.score, vp, { ...ok, shape: [2, 1] }), /gaussianScore.score: argument 'x' must have shape \[n, 2\]/);
  }
  m.dispose();
});

test("per-row noise: two calls with one Rng differ (the Rng advances)", async () => {
  await initBackend();
  const sde = vpSDE();
  const m = gaussianScore(sde, [0, 0], 1);
  const rng = new Rng(1);
  const x1 = await eulerMaruyama(m.score, sde, { n: 4, steps: 5, rng, shape: [2] });
  const x2 = await eulerMaruyama(m.score, sde, { n: 4, steps: 5, rng, shape: [2] });
  assert.notDeepEqual(x1.arraySync(), x2.arraySync());
  tf.dispose([x1, x2]);
  m.dispose();
});

const score = (x: tf.Tensor) => tf.neg(x);

test("steps = 1e12 is refused by every sampler and timeGrid with an Error before any grid is built (it used to abort the process)", async () => {
  await initBackend();
  const sde = vpSDE();
  assert.throws(() => timeGrid(sde, 1e12), /timeGrid: argument 'steps' must be <= 1000000/);
  const samplers = { eulerMaruyama, probabilityFlowHeun, predictorCorrector, ddim } as Record<string, (s: typeof score, e: typeof sde, o: object) => Promise<unknown>>;
  for (const [name, s] of Object.entries(samplers)) {
    await assert.rejects(s(score, sde, { n: 2, steps: 1e12, rng: new Rng(0), shape: [2] }), new RegExp(`${name}: argument 'opts.steps' must be <= 1000000`));
  }
  // The limit itself is accepted by the grid (1e6 + 1 numbers).
  assert.equal(timeGrid(sde, 1e6).length, 1e6 + 1);
});


test("sampler n * dim past 2^28 elements is refused (the wasm heap would wrap); 10,000 x 784 passes validation", async () => {
  await initBackend();
  const sde = vpSDE();
  await assert.rejects(eulerMaruyama(score, sde, { n: 1e6, steps: 1, rng: new Rng(0), shape: [1e6] }), /eulerMaruyama: argument 'opts.n' gives 1000000000000 elements, more than the limit/);
  // A real size is not refused: an aborted signal stops it before the first step, after validation.
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(eulerMaruyama(score, sde, { n: 10_000, steps: 1, rng: new Rng(0), shape: [784], signal: ac.signal }), (e: Error) => e.name === "AbortError");
});

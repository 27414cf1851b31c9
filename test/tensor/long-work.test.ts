/**
 * The long-work contract (src/tensor/long-work.ts) over every long function of the library: each takes onStep,
 * signal and rng the same way, reports ProgressRecords {step, total, ...} with step 1..total ending at total, and
 * on abort either returns with stopped (training, fits, flows: the partial result is usable) or throws an
 * AbortError (samplers, likelihoods, refinement, studies), leaking no tensor either way. The sweep follows the same
 * contract across processes (its records count finished trials; an interrupt returns with stopped): it is tested
 * where its executors run, in test/sweep/sweep.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend, isAbortError, type Progress, type ProgressRecord } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, trainEarlyStopped, trainScore } from "../../src/score";
import { gaussianScore } from "../../src/score/exact";
import { SAMPLERS, SAMPLER_NAMES, convergedLikelihood, logLikelihood, samplerStudy } from "../../src/sample";
import { flowLogLikelihood, mlpVelocityNet, otPath, sampleFlow, trainVelocity, velocityFromScore, vpPath } from "../../src/flow-matching";
import { flowStudy } from "../../src/flow";
import { scheduleStudy } from "../../src/bounds";
import { fuse, fusionStudy1D, fusionStudyDigits } from "../../src/fusion";
import { mlpDiscriminator, refineGenerator, refineStudy, trainDiscriminator } from "../../src/refine";
import { generalizationStudy, likelihoodGap, trainGapObjective } from "../../src/generalization";
import { sdFlow } from "../../src/flow";
import { GaussianMixture } from "../../src/data";
import { imageBitsPerDim } from "../../src/metrics";

interface LongOpts { onStep?: Progress; signal?: AbortSignal; rng: Rng }
interface Entry {
  name: string;
  /** "stopped": returns with the partial result; "throws": AbortError. */
  onAbort: "stopped" | "throws";
  /** Steps of a full run (the `total` of its records). */
  total: number;
  run(o: LongOpts): Promise<unknown>;
  /** Steps done and whether stopped, read from a returned result. */
  done?(r: unknown): { steps: number; stopped: boolean };
  /** Frees what a returned result holds. */
  dispose?(r: unknown): void;
}

const sde = vpSDE();
const fmPath = otPath();
const mix = new GaussianMixture({ weights: [0.5, 0.5], means: [[-1, 0], [1, 0]], covs: [0.2, 0.2] });
// Tensors and models are made once the backend is chosen (test.before).
let exact: ReturnType<typeof gaussianScore>, aux: ReturnType<typeof gaussianScore>[];
let vnet: ReturnType<typeof mlpVelocityNet>;
let pixels: tf.Tensor2D;
let data: tf.Tensor2D, other: tf.Tensor2D, net: ReturnType<typeof mlpScoreNet>, disc: ReturnType<typeof mlpDiscriminator>;
test.before(async () => {
  await initBackend();
  exact = gaussianScore(sde, [0.5, -0.5], [[1, 0.5], [0.5, 0.8]]); // anisotropic: Hutchinson probes matter
  aux = [gaussianScore(sde, [-1, 0], 1), gaussianScore(sde, [1, 0], 1)];
  data = new Rng(1).normal([64, 2]) as tf.Tensor2D;
  other = new Rng(2).normal([64, 2], 1) as tf.Tensor2D;
  pixels = tf.tensor2d(Array.from({ length: 16 }, (_, i) => [i % 17, (5 * i) % 17]));
  net = mlpScoreNet(sde, [2], new Rng(3), { width: 8, depth: 1 });
  disc = mlpDiscriminator(2, new Rng(4), { width: 8 });
  vnet = mlpVelocityNet(fmPath, [2], new Rng(5), { width: 8, depth: 1 });
});
// Every sampler of the table, so a new sampler is under the contract as soon as it has its row.
const samplerEntries = (): Entry[] => SAMPLER_NAMES.map((name) => ({
  name: `sampler ${name}`, onAbort: "throws" as const, total: 8,
  run: (o: LongOpts) => SAMPLERS[name].run(exact.score, sde, { n: 6, steps: 8, shape: [2], ...o }) as Promise<unknown>,
  dispose: (r: unknown) => tf.dispose(r as tf.Tensor),
}));

const trained = (r: unknown) => { const { steps, stopped } = r as { steps: number; stopped: boolean }; return { steps, stopped }; };

const entries: Entry[] = [
  ...samplerEntries(),
  { name: "sampleFlow", onAbort: "throws", total: 8, run: (o) => sampleFlow(velocityFromScore(exact.score, vpPath()), vpPath(), { n: 6, steps: 8, shape: [2], ...o }), dispose: (r) => tf.dispose(r as tf.Tensor) },
  {
    name: "flowLogLikelihood", onAbort: "throws", total: 6,
    run: (o) => flowLogLikelihood(velocityFromScore(exact.score, vpPath()), vpPath(), data, { steps: 6, divergence: "hutchinson", ...o }),
    dispose: (r) => tf.dispose(Object.values(r as Record<string, unknown>).filter((v): v is tf.Tensor => v instanceof tf.Tensor)),
  },
  {
    name: "trainVelocity", onAbort: "stopped", total: 6, done: trained,
    run: (o) => trainVelocity(vnet, data, { steps: 6, batchSize: 16, ...o }),
  },
  {
    name: "imageBitsPerDim", onAbort: "throws", total: 6,
    run: (o) => imageBitsPerDim(exact.score, sde, pixels, { levels: 17, steps: 6, divergence: "hutchinson", ...o }),
  },
  { name: "logLikelihood", onAbort: "throws", total: 6, run: (o) => logLikelihood(exact.score, sde, data, { steps: 6, divergence: "hutchinson", ...o }) },
  { name: "likelihoodGap", onAbort: "throws", total: 6, run: (o) => likelihoodGap(exact.score, sde, data, other, { steps: 6, divergence: "hutchinson", ...o }) },
  {
    // tol 1e-12 never converges, so all three step counts (2, 4, 8) run and the last record is step 3 of 3.
    name: "convergedLikelihood", onAbort: "throws", total: 3,
    run: (o) => convergedLikelihood(exact.score, sde, data, { startSteps: 2, maxSteps: 8, tol: 1e-12, ...o }),
  },
  {
    // A validation every step and a patience no run reaches: records at steps 1..6 and no early stop.
    name: "trainEarlyStopped", onAbort: "stopped", total: 6, done: trained,
    run: (o) => trainEarlyStopped(net, data, other, { maxSteps: 6, evalEvery: 1, patience: 100, batchSize: 16, ...o }),
  },
  { name: "trainScore", onAbort: "stopped", total: 6, run: (o) => trainScore(net, data, { steps: 6, batchSize: 16, ...o }), done: trained },
  { name: "trainGapObjective", onAbort: "stopped", total: 6, run: (o) => trainGapObjective(net, data, { steps: 6, batchSize: 16, ...o }), done: trained },
  { name: "trainDiscriminator", onAbort: "stopped", total: 6, run: (o) => trainDiscriminator(disc, data, other, { steps: 6, batchSize: 16, sde, ...o }), done: trained },
  {
    name: "fuse", onAbort: "stopped", total: 50, run: (o) => fuse(aux, data, { samples: 64, method: "adam", adam: { steps: 50 }, ...o }),
    done: (r) => ({ steps: (r as { diagnostics: { adam: { steps: number } } }).diagnostics.adam.steps, stopped: (r as { stopped: boolean }).stopped }),
  },
  {
    name: "sdFlow", onAbort: "stopped", total: 6, run: (o) => sdFlow(data, other, { iterations: 6, ...o }), done: trained,
    dispose: (r) => (r as { particles: tf.Tensor }).particles.dispose(),
  },
  {
    name: "refineGenerator", onAbort: "throws", total: 20, run: (o) => refineGenerator(mix, other, { steps: 20, n: 50, trainSize: 64, pool: 64, ...o }),
    dispose: (r) => { const g = r as { x: tf.Tensor; pool: tf.Tensor; discriminator: { dispose(): void } }; tf.dispose([g.x, g.pool]); g.discriminator.dispose(); },
  },
];

/**
 * Studies run for minutes: only their door is checked here (the options validated, an aborted signal throws an
 * AbortError at once); each study's own test checks its records.
 */
type StudyOpts = { signal?: AbortSignal; onStep?: Progress };
const studies: [string, (o: StudyOpts) => Promise<unknown>][] = [
  ["fusionStudy1D", (o) => fusionStudy1D({ quick: true, seeds: [0], ...o })],
  ["fusionStudyDigits", (o) => fusionStudyDigits({ quick: true, seeds: [0], ...o })],
  ["refineStudy", (o) => refineStudy({ quick: true, seeds: [0], ...o })],
  ["generalizationStudy", (o) => generalizationStudy({ quick: true, seeds: [0], ...o })],
  ["flowStudy", (o) => flowStudy({ quick: true, seeds: [0], ...o })],
  ["samplerStudy", (o) => samplerStudy({ quick: true, ...o })],
  ["scheduleStudy", (o) => scheduleStudy({ quick: true, seeds: [0], ...o })],
];

function checkRecords(name: string, recs: ProgressRecord[], total: number): void {
  assert.ok(recs.length > 0, `${name}: no progress reported`);
  for (const r of recs) {
    assert.ok(Number.isInteger(r.step) && r.step >= 1 && r.step <= total, `${name}: step ${r.step} of ${total}`);
    assert.equal(r.total, total, `${name}: total`);
    for (const [k, v] of Object.entries(r)) assert.ok(v === undefined || typeof v === "number", `${name}: record field ${k} is ${typeof v}`);
  }
  // Steps rise within one pass (likelihoodGap runs two passes of the same total).
  assert.equal(recs[recs.length - 1].step, total, `${name}: the last record is step total`);
}

test("every long function reports ProgressRecords {step 1..total, total, numbers} through onStep", async () => {
  await initBackend();
  for (const e of entries) {
    const recs: ProgressRecord[] = [];
    const r = await e.run({ rng: new Rng(7), onStep: (p) => recs.push(p) });
    checkRecords(e.name, recs, e.total);
    if (e.done) assert.deepEqual(e.done(r), { steps: e.total, stopped: false }, e.name);
    e.dispose?.(r);
  }
});

test("an abort raised inside onStep stops before the next step: stopped with the steps done, or an AbortError; no leak", async () => {
  await initBackend();
  for (const e of entries) {
    const ac = new AbortController();
    let at = 0;
    const before = tf.memory().numTensors;
    const onStep: Progress = (p) => { if (!at && p.step >= 2) { at = p.step; ac.abort(); } };
    if (e.onAbort === "throws") {
      await assert.rejects(e.run({ rng: new Rng(7), onStep, signal: ac.signal }), (err: Error) => isAbortError(err) && /^\w+: aborted before (step|run) \d+ of \d+$/.test(err.message), e.name);
    } else {
      const r = await e.run({ rng: new Rng(7), onStep, signal: ac.signal });
      assert.deepEqual(e.done!(r), { steps: at, stopped: true }, e.name);
      e.dispose?.(r);
    }
    assert.ok(at >= 2, `${e.name}: onStep did not reach step 2`);
    assert.equal(tf.memory().numTensors, before, `${e.name}: tensors leaked on abort`);
  }
});

test("an already aborted signal: no step runs (stopped with 0 steps, or an AbortError), studies included", async () => {
  await initBackend();
  const ac = new AbortController();
  ac.abort();
  for (const e of entries) {
    let steps = 0;
    const run = e.run({ rng: new Rng(7), onStep: () => { steps++; }, signal: ac.signal });
    if (e.onAbort === "throws") await assert.rejects(run, (err: Error) => isAbortError(err), e.name);
    else {
      const r = await run;
      assert.deepEqual(e.done!(r), { steps: 0, stopped: true }, e.name);
      e.dispose?.(r);
    }
    assert.equal(steps, 0, `${e.name}: reported progress after an abort`);
  }
  for (const [name, run] of studies) await assert.rejects(run({ signal: ac.signal }), (err: Error) => isAbortError(err) && err.message.startsWith(`${name}: aborted`), name);
});

test("onStep, signal and rng are validated the same way everywhere", async () => {
  await initBackend();
  for (const e of entries) {
    await assert.rejects(e.run({ rng: new Rng(7), onStep: 5 as never }), /argument '(opts\.)?onStep' must be a function/, e.name);
    await assert.rejects(e.run({ rng: new Rng(7), signal: {} as never }), /argument '(opts\.)?signal' must be an AbortSignal/, e.name);
    await assert.rejects(e.run({ rng: 5 as never }), /argument '(opts\.)?rng' must be an Rng/, e.name);
  }
  // Studies take the same onStep and signal (their randomness is their seeds), checked before any work starts.
  for (const [name, run] of studies) {
    await assert.rejects(run({ onStep: 5 as never }), new RegExp(`^Error: ${name}: argument 'opts\\.onStep' must be a function`), name);
    await assert.rejects(run({ signal: {} as never }), new RegExp(`^Error: ${name}: argument 'opts\\.signal' must be an AbortSignal`), name);
  }
});

test("the same Rng seed gives the same result, a different seed a different one", async () => {
  await initBackend();
  const summary = async (e: Entry, seed: number) => {
    const r = await e.run({ rng: new Rng(seed) });
    const out = JSON.stringify(r, (_k, v) => (v instanceof tf.Tensor ? Array.from(v.dataSync()) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    e.dispose?.(r);
    return out;
  };
  for (const e of entries.filter((x) => x.onAbort === "throws")) {
    assert.equal(await summary(e, 11), await summary(e, 11), `${e.name}: not reproducible`);
    assert.notEqual(await summary(e, 11), await summary(e, 12), `${e.name}: ignores the rng`);
  }
});

test.after(() => {
  tf.dispose([data, other, pixels]);
  net.dispose(); disc.dispose(); exact.dispose(); aux.forEach((m) => m.dispose());
});

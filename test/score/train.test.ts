import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import type { ScoreFn } from "../../src/sde/types";
import { mixtureScore, mlpScoreNet, trainScore } from "../../src/score";
import { clipByGlobalNorm, emaDecayAt } from "../../src/train";
import { eulerMaruyama } from "../../src/sample";
import { ring8, slicedW1 } from "./helpers";
import { veSDE, type SDE } from "../../src/sde";
import { dsmLoss, preconditioning, trainingTimes, unetScoreNet, type ScoreNet, type ScoreParam, type TrainOptions } from "../../src/score";
import type { LossWeighting } from "../../src/score/dsm-loss";
import { EpochBatches, runTrainer } from "../../src/train";
import { dsmPerturb, dsmSquaredError } from "../../src/tensor/dsm-loss";

const small = (seed = 0) => mlpScoreNet(vpSDE(), [2], new Rng(seed), { width: 32, depth: 2 });
const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

test("the DSM loss decreases: last 50 steps average well below the first 50", async () => {
  await initBackend();
  const data = ring8().sample(1024, new Rng(1));
  const model = small();
  const { history, steps, stopped } = await trainScore(model, data, { steps: 300, rng: new Rng(2), batchSize: 128, lr: 3e-3 });
  assert.equal(steps, 300); assert.equal(stopped, false); assert.equal(history.length, 300);
  // Zero output layer: the first losses are E||eps||^2 per coordinate = 1 (+- batch noise); the eps loss of the
  // ring's true score is about 0.2 (measured 0.2-0.25 for a well-trained MLP), so 0.7x is a safe bar.
  assert.ok(Math.abs(history[0] - 1) < 0.2, `first loss ${history[0]}`);
  assert.ok(mean(history.slice(-50)) < 0.7 * mean(history.slice(0, 50)), `${mean(history.slice(0, 50))} -> ${mean(history.slice(-50))}`);
  tf.dispose(data); model.dispose();
});

test("EMA weights differ from the raw weights, score with them after training, and the choice can be made", async () => {
  await initBackend();
  const data = ring8().sample(512, new Rng(1));
  const model = small();
  await trainScore(model, data, { steps: 60, rng: new Rng(2), batchSize: 64, lr: 3e-3, ema: 0.9 });
  assert.ok(model.ema && model.useEma);
  const raw = values(model.variables), ema = values(model.ema!);
  const diff = raw.flatMap((r, i) => r.map((v, j) => Math.abs(v - ema[i][j])));
  assert.ok(Math.max(...diff) > 1e-4, "EMA equals the raw weights");
  const x = new Rng(3).normal([16, 2]); const t = tf.fill([16], 0.5);
  const [sDefault, sEma, sRaw] = [model.score(x, t), model.scoreWith(x, t, "ema"), model.scoreFn("raw")(x, t)];
  assert.deepEqual(Array.from(sDefault.dataSync()), Array.from(sEma.dataSync()));
  assert.notDeepEqual(Array.from(sDefault.dataSync()), Array.from(sRaw.dataSync()));
  tf.dispose([x, t, sDefault, sEma, sRaw, data]); model.dispose();
  assert.equal(emaDecayAt(0.999, 0), 0.1); // warm-up (1 + k) / (10 + k)
  assert.equal(emaDecayAt(0.999, 1e6), 0.999);
});

test("ema: 0 keeps no EMA and scores with the raw weights", async () => {
  await initBackend();
  const data = ring8().sample(256, new Rng(1));
  const model = small();
  await trainScore(model, data, { steps: 5, rng: new Rng(2), batchSize: 32, ema: 0 });
  assert.equal(model.ema, null); assert.equal(model.useEma, false);
  tf.dispose(data); model.dispose();
});

test("gradient clipping caps the global norm and leaves small gradients alone", async () => {
  await initBackend();
  const g = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])]; // global norm 13
  const big = clipByGlobalNorm(g, 1);
  const norm = (ts: tf.Tensor[]) => Math.sqrt(values(ts).flat().reduce((s, v) => s + v * v, 0));
  assert.ok(Math.abs(big.norm.dataSync()[0] - 13) < 1e-5);
  assert.ok(Math.abs(norm(big.grads) - 1) < 1e-5);
  const none = clipByGlobalNorm(g, 100);
  assert.deepEqual(values(none.grads), values(g));
  tf.dispose([...g, ...big.grads, big.norm, ...none.grads, none.norm]);
  // In training: onStep reports the norm before clipping; with a tiny cap each update moves the weights by at
  // most lr per coordinate (Adam's step is bounded by lr), and training still runs.
  const data = ring8().sample(256, new Rng(1));
  const model = small();
  const norms: number[] = [];
  await trainScore(model, data, { steps: 10, rng: new Rng(2), batchSize: 32, clipNorm: 1e-3, onStep: (r) => norms.push(r.gradNorm!) });
  assert.equal(norms.length, 10);
  assert.ok(norms.every((v) => v > 1e-3), "the raw gradient norms exceed the cap, so clipping was active");
  tf.dispose(data); model.dispose();
});

test("abort stops at the next step, keeps the trained weights and returns stopped", async () => {
  await initBackend();
  const data = ring8().sample(256, new Rng(1));
  const model = small();
  const before = values(model.variables);
  const ac = new AbortController();
  const seen: number[] = [];
  const res = await trainScore(model, data, { steps: 1000, rng: new Rng(2), batchSize: 32, ema: 0, onStep: (r) => { seen.push(r.step); if (r.step === 7) ac.abort(); }, signal: ac.signal });
  assert.equal(res.stopped, true); assert.equal(res.steps, 7); assert.equal(res.history.length, 7);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
  assert.notDeepEqual(values(model.variables), before, "the weights of the 7 steps are kept");
  assert.ok(!model.variables[0].isDisposed);
  // An abort landing from a timer (as a kernel interrupt does) stops it too: training yields to the event loop.
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 50);
  const res2 = await trainScore(model, data, { steps: 100000, rng: new Rng(3), batchSize: 32, signal: ac2.signal });
  assert.equal(res2.stopped, true); assert.ok(res2.steps > 0 && res2.steps < 100000);
  tf.dispose(data); model.dispose();
});

test("a NaN loss stops training with a clear error and restores the last weights with a finite loss", async () => {
  await initBackend();
  const data = ring8().sample(256, new Rng(1));
  const model = small();
  let good: number[][] = [];
  await assert.rejects(trainScore(model, data, {
    steps: 50, rng: new Rng(2), batchSize: 32,
    onStep: (r) => {
      // After step 4's update: the weights that step 5 evaluates (finite loss), so the last good ones.
      if (r.step === 4) good = values(model.variables);
      if (r.step === 5) {
        // Poison the weights as a diverging update would.
        const v = model.variables[0]; v.assign(tf.fill(v.shape, NaN));
      }
    },
  }), /trainScore: the loss became NaN .* at step 6; .*restored/);
  assert.deepEqual(values(model.variables), good);
  assert.ok(values(model.variables).flat().every(Number.isFinite), "restored weights are finite");
  tf.dispose(data); model.dispose();
});

test("bad input throws errors that name the problem", async () => {
  await initBackend();
  const model = small();
  const rng = new Rng(0);
  const data = ring8().sample(64, new Rng(1));
  const rank1 = tf.zeros([64]); const wide = tf.zeros([64, 3]); const nan = tf.tensor2d([[0, NaN], [1, 1]]);
  await assert.rejects(trainScore(model, rank1, { steps: 1, rng }), /trainScore: argument 'data' must have shape \[n, 2\]/);
  await assert.rejects(trainScore(model, wide, { steps: 1, rng }), /argument 'data' must have shape/);
  await assert.rejects(trainScore(model, nan, { steps: 1, rng }), /argument 'data' contains NaN/);
  await assert.rejects(trainScore(model, data, { steps: -3, rng }), /argument 'opts.steps' must be >= 1, got -3/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng, batchSize: 0 }), /argument 'opts.batchSize' must be >= 1, got 0/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng, lr: -1 }), /argument 'opts.lr' must be > 0/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng: 5 as unknown as Rng }), /argument 'opts.rng' must be an Rng/);
  await assert.rejects(trainScore(model, data, { steps: 1, rng, ema: 1 }), /argument 'opts.ema' must be < 1/);
  assert.throws(() => model.score(tf.zeros([4, 3]), tf.zeros([4])), /ScoreNet.epsilon: argument 'x' must have shape \[n, 2\]/);
  assert.throws(() => model.score(tf.zeros([4, 2]), tf.zeros([5])), /argument 't' must have shape \[4\]/);
  assert.throws(() => mlpScoreNet(vpSDE(), [0], rng), /mlpConfig: argument 'shape'/);
  assert.throws(() => mlpScoreNet(vpSDE(), [2], rng, { activation: "gelu" as never }), /argument 'opts.activation' must be one of silu/);
  tf.dispose([rank1, wide, nan, data]); model.dispose();
});

test("repeated training calls leak no tensors", async () => {
  await initBackend();
  const data = ring8().sample(256, new Rng(1));
  const model = small();
  await trainScore(model, data, { steps: 3, rng: new Rng(2), batchSize: 32 });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await trainScore(model, data, { steps: 5, rng: new Rng(3 + i), batchSize: 32, clipNorm: 0.5 });
  await trainScore(model, data, { steps: 5, rng: new Rng(9), batchSize: 32, weighting: "likelihood", ema: 0 });
  const x = tf.zeros([8, 2]); const t = tf.fill([8], 0.3);
  const s = model.score(x, t); tf.dispose([s, x, t]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(data); model.dispose();
});

test("trainScore refuses batchSize x row size past 2^26 elements; 10,000 x 784 is accepted", async () => {
  await initBackend();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  const data = tf.zeros([4, 2]);
  try {
    await assert.rejects(trainScore(model, data, { steps: 1, rng: new Rng(1), batchSize: 1e12 }), /trainScore: argument 'opts.batchSize' gives 2000000000000 elements per batch/);
  } finally { model.dispose(); data.dispose(); }
  // An MNIST-sized batch passes validation: an already aborted signal stops it before the first step.
  const big = mlpScoreNet(vpSDE(), [784], new Rng(0), { width: 8, depth: 1 });
  const rows = tf.zeros([8, 784]);
  const ac = new AbortController();
  ac.abort();
  try {
    const r = await trainScore(big, rows, { steps: 1, rng: new Rng(1), batchSize: 10_000, signal: ac.signal });
    assert.equal(r.stopped, true);
  } finally { big.dispose(); rows.dispose(); }
});

test("an MLP trained by DSM on an 8-Gaussian ring samples close to it (VP SDE, Euler–Maruyama sampler)", async () => {
  await initBackend();
  const sde = vpSDE();
  const gmm = ring8();
  const data = gmm.sample(4096, new Rng(1));
  const model = mlpScoreNet(sde, [2], new Rng(2), { width: 128, depth: 3 });
  const n = 1000, steps = 200;
  const em = (score: ScoreFn) => eulerMaruyama(score, sde, { n, steps, rng: new Rng(3), shape: [2] });
  const untrainedSample = await em(model.score);
  const t0 = performance.now();
  const { history, seconds } = await trainScore(model, data, { steps: Number(process.env.STEPS ?? 1200), rng: new Rng(4), batchSize: 256, lr: 2e-3, ema: 0.995 });
  const trainedSample = await em(model.score);
  const exactSample = await em(mixtureScore(sde, gmm).score);
  const fresh = gmm.sample(n, new Rng(5));
  const fresh2 = gmm.sample(n, new Rng(6));
  const d = (x: tf.Tensor) => slicedW1(x, fresh, new Rng(7));
  const [dUntrained, dTrained, dExact, dNoise] = [d(untrainedSample), d(trainedSample), d(exactSample), d(fresh2)];
  console.log(`train ${seconds.toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s; loss ${history[0].toFixed(3)} -> ${history.at(-1)!.toFixed(3)}; SW1 untrained ${dUntrained.toFixed(3)} trained ${dTrained.toFixed(3)} exact ${dExact.toFixed(3)} two target samples ${dNoise.toFixed(3)}`);
  // The exact-score sampler shows what the discretisation (200 steps) and finite samples (1000) alone cost; a
  // trained network should add little to it. The untrained model samples close to the prior N(0, I), far from
  // the ring. Thresholds: trained within 3x the exact sampler's distance and under a third of the untrained one.
  assert.ok(dTrained < dUntrained / 3, `trained ${dTrained} vs untrained ${dUntrained}`);
  assert.ok(dTrained < 3 * dExact, `trained ${dTrained} vs exact ${dExact}`);
  tf.dispose([data, untrainedSample, trainedSample, exactSample, fresh, fresh2]);
  model.dispose();
});

// The SDE's marginal is computed once per training step and per score call, and only the preconditioning factors a
// parameterisation uses are built (src/score/parameterisation.ts, score-net.ts, dsm-loss.ts, train.ts). The numbers
// must not move: trainScore's losses and ScoreNet's scores are compared bit for bit with a reference composition of
// the same ops written out here (the formulas as they were before the marginal was shared: a marginal for the loss,
// one for the preconditioning and one inside ScoreNet.epsilon, every factor built).
/** The raw output F and every factor of the parameterisation, each from its own marginal, as before the change. */
function referenceOutput(model: ScoreNet, x: tf.Tensor, t: tf.Tensor) {
  const { sde, config: { param, sigmaData: sd } } = model;
  const row = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
  const { scale, std } = sde.marginal(t);
  const a = tf.reshape(scale, row), s = tf.reshape(std, row);
  const r = tf.reshape(tf.sqrt(tf.add(tf.mul(tf.square(scale), sd * sd), tf.square(std))), row);
  let F: tf.Tensor;
  if (param === "eps") {
    const m = sde.marginal(t);
    const cin = tf.rsqrt(tf.add(tf.mul(tf.square(m.scale), sd * sd), tf.square(m.std)));
    F = model.net.apply(tf.mul(x, tf.reshape(cin, row)), tf.div(t, sde.T), model.variables);
  } else {
    const cNoise = param === "edm" ? tf.mul(tf.log(tf.div(std, scale)), 0.25) : tf.div(t, sde.T);
    F = model.net.apply(tf.mul(x, tf.reciprocal(r)), cNoise, model.variables);
  }
  const sign = param === "v" ? 1 : -1;
  const gain = param === "eps" ? tf.reciprocal(s) : param === "x0" ? tf.div(a, tf.square(s)) : tf.div(tf.mul(a, sd), tf.mul(r, s));
  const target = (x0: tf.Tensor, eps: tf.Tensor) => param === "eps" ? eps : param === "x0" ? x0
    : tf.mul(tf.div(tf.sub(tf.mul(eps, tf.mul(a, sd)), tf.mul(x0, tf.div(s, sd))), r), sign);
  const score = param === "eps" ? tf.div(tf.neg(F), tf.reshape(sde.marginal(t).std, row))
    : param === "x0" ? tf.div(tf.sub(tf.mul(a, F), x), tf.square(s))
    : tf.sub(tf.neg(tf.div(x, tf.square(r))), tf.mul(gain, tf.mul(F, sign)));
  return { F, a, s, r, gain, target, score };
}

/** dsmLoss as it was: its own marginal for the perturbation, then the output and the weighting. */
function referenceLoss(model: ScoreNet, x0: tf.Tensor, t: tf.Tensor, eps: tf.Tensor, weighting: LossWeighting): tf.Scalar {
  return tf.tidy(() => {
    const { scale, std } = model.sde.marginal(t);
    const xt = dsmPerturb(x0, eps, scale, std);
    const p = referenceOutput(model, xt, t);
    const param: ScoreParam = model.config.param, sd = model.config.sigmaData;
    if (weighting === "param" || (weighting === "eps" && param === "eps") || (weighting === "edm" && param === "edm")) return dsmSquaredError(p.F, p.target(x0, eps));
    const row = [x0.shape[0], ...x0.shape.slice(1).map(() => 1)];
    const lambda = weighting === "eps" ? tf.square(p.s)
      : weighting === "likelihood" ? tf.reshape(tf.square(model.sde.diffusion(t)), row)
      : tf.div(tf.mul(tf.square(p.r), tf.square(p.s)), tf.mul(tf.square(p.a), sd * sd));
    return dsmSquaredError(p.F, p.target(x0, eps), tf.mul(lambda, tf.square(p.gain)));
  });
}

/** trainScore's step drawn the same way (batch rows, times, noise from one Rng, in that order), no EMA. */
async function referenceTrain(model: ScoreNet, data: tf.Tensor, o: TrainOptions & { weighting: LossWeighting }): Promise<number[]> {
  const bs = o.batchSize!, rng = o.rng;
  const batches = new EpochBatches(data.shape[0], rng);
  const draw = trainingTimes(model.sde, model.sde.tMin, o, "reference");
  const r = await runTrainer({
    fn: "reference", variables: model.variables, steps: o.steps, lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
    clipNorm: 1, ema: null, every: 1, yieldEvery: 5,
    batch: () => {
      const x0 = tf.gather(data, tf.tensor1d(batches.next(bs), "int32"));
      const t = draw(bs, rng);
      const eps = rng.normal([bs, ...data.shape.slice(1)]);
      return () => referenceLoss(model, x0, t, eps, o.weighting);
    },
  });
  return r.history;
}

/** An SDE whose marginal counts its calls. */
function counted(sde: SDE): { sde: SDE; calls: () => number } {
  let n = 0;
  return { sde: { ...sde, marginal: (t) => { n++; return sde.marginal(t); } }, calls: () => n };
}

type Case = { param: ScoreParam; weighting: LossWeighting; sde: () => SDE; noise?: "lognormal" };
const CASES: Case[] = [
  ...(["eps", "x0", "v", "edm"] as ScoreParam[]).flatMap((param) =>
    (["param", "eps", "likelihood", "edm"] as LossWeighting[]).map((weighting) => ({ param, weighting, sde: () => vpSDE() }))),
  { param: "edm", weighting: "param", sde: () => veSDE(), noise: "lognormal" },
  { param: "eps", weighting: "likelihood", sde: () => veSDE() },
];

test("trainScore's loss sequence equals the reference composition bit for bit, for every parameterisation and weighting", async () => {
  await initBackend();
  const data = new Rng(1).normal([64, 2]);
  for (const c of CASES) {
    const steps = 4;
    const { sde, calls } = counted(c.sde());
    const opts = { param: c.param, sigmaData: 0.8, width: 16, depth: 2 };
    const model = mlpScoreNet(sde, [2], new Rng(7), opts), ref = mlpScoreNet(c.sde(), [2], new Rng(7), opts);
    const o = { steps, batchSize: 32, weighting: c.weighting, noise: c.noise, ema: 0 };
    const got = (await trainScore(model, data, { ...o, rng: new Rng(3) })).history;
    const want = await referenceTrain(ref, data, { ...o, rng: new Rng(3) });
    const label = `${c.sde().kind} ${c.param} ${c.weighting}${c.noise ? " " + c.noise : ""}`;
    assert.deepEqual(got, want, label);
    assert.ok(want.every((v) => Number.isFinite(v) && v > 0), `${label}: finite losses ${want}`);
    // One marginal per step: drawn with the batch, shared by the perturbation, the preconditioning and the network.
    assert.equal(calls(), steps, `${label}: SDE.marginal calls`);
    model.dispose(); ref.dispose();
  }
  data.dispose();
});

test("a U-Net's training losses equal the reference composition bit for bit", async () => {
  await initBackend();
  const data = new Rng(1).normal([16, 8, 8]);
  const opts = { channels: 4, groups: 2 };
  const model = unetScoreNet(vpSDE(), [8, 8], new Rng(2), opts), ref = unetScoreNet(vpSDE(), [8, 8], new Rng(2), opts);
  const o = { steps: 3, batchSize: 8, weighting: "param" as const, ema: 0 };
  const got = (await trainScore(model, data, { ...o, rng: new Rng(4) })).history;
  assert.deepEqual(got, await referenceTrain(ref, data, { ...o, rng: new Rng(4) }));
  model.dispose(); ref.dispose(); data.dispose();
});

test("score, epsilon and the preconditioning's factors equal the reference bit for bit, with one marginal per call", async () => {
  await initBackend();
  const t = tf.tensor1d([0.002, 0.05, 0.3, 0.7, 1]);
  for (const param of ["eps", "x0", "v", "edm"] as ScoreParam[]) {
    const { sde, calls } = counted(vpSDE());
    const model = mlpScoreNet(sde, [3], new Rng(5), { width: 8, depth: 1, param, sigmaData: 0.6 });
    const rng = new Rng(6);
    // Random weights everywhere (the output layer starts at zero), so the network output is not trivial.
    model.variables.forEach((v) => tf.tidy(() => v.assign(rng.normal(v.shape, 0, 0.5))));
    const x = rng.normal([5, 3]);
    const before = calls();
    const got = tf.tidy(() => model.scoreWith(x, t, "raw").arraySync());
    assert.equal(calls() - before, 1, `${param}: SDE.marginal calls per score`);
    const [want, wantEps, gotEps] = tf.tidy(() => {
      const p = referenceOutput(model, x, t);
      const row = [5, 1];
      const eps = param === "eps" ? p.F : tf.mul(tf.neg(p.score), tf.reshape(sde.marginal(t).std, row));
      return [p.score.arraySync(), eps.arraySync(), model.epsilon(x, t, "raw").arraySync()];
    });
    assert.deepEqual(got, want, `${param}: score`);
    assert.deepEqual(gotEps, wantEps, `${param}: epsilon`);
    model.dispose(); x.dispose();
  }
  t.dispose();
});

test("a marginal handed in with the wrong shape, disposed or not {scale, std} is one Error naming the function and argument", async () => {
  await initBackend();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(1), { width: 4, depth: 1 });
  const rng = new Rng(2);
  const [x0, eps, t] = [rng.normal([3, 2]), rng.normal([3, 2]), tf.tensor1d([0.1, 0.5, 0.9])];
  const good = model.sde.marginal(t);
  const short = { scale: tf.ones([2]), std: tf.ones([2]) };
  const gone = model.sde.marginal(t); gone.std.dispose();
  const before = tf.memory().numTensors;
  assert.throws(() => dsmLoss(model, x0, t, eps, "param", "raw", undefined, short), /dsmLoss: argument 'marginal.scale' must have shape \[3\]/);
  assert.throws(() => dsmLoss(model, x0, t, eps, "param", "raw", undefined, gone), /dsmLoss: argument 'marginal.std' is disposed/);
  assert.throws(() => model.scoreWith(x0, t, "raw", undefined, { scale: good.scale } as never), /ScoreNet.epsilon: argument 'marginal' must be the SDE's marginal/);
  assert.throws(() => preconditioning("edm", model.sde, t, 1, x0.shape, short), /preconditioning: argument 'marginal.scale'/);
  assert.equal(tf.memory().numTensors, before, "nothing is left behind by a refused call");
  // The same marginal computed by the caller gives the loss computed without it, bit for bit.
  assert.equal(tf.tidy(() => dsmLoss(model, x0, t, eps, "param", "raw", undefined, good).dataSync()[0]), tf.tidy(() => dsmLoss(model, x0, t, eps).dataSync()[0]));
  tf.dispose([x0, eps, t, good.scale, good.std, short.scale, short.std, gone.scale]);
  model.dispose();
});

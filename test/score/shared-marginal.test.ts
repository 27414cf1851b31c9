/**
 * The SDE's marginal is computed once per training step and per score call, and only the preconditioning factors a
 * parameterisation uses are built (src/score/parameterisation.ts, score-net.ts, dsm-loss.ts, train.ts). The numbers
 * must not move: trainScore's losses and ScoreNet's scores are compared bit for bit with a reference composition of
 * the same ops written out here (the formulas as they were before the marginal was shared: a marginal for the loss,
 * one for the preconditioning and one inside ScoreNet.epsilon, every factor built).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { veSDE, vpSDE, type SDE } from "../../src/sde";
import { dsmLoss, mlpScoreNet, preconditioning, trainScore, trainingTimes, unetScoreNet, type ScoreNet, type ScoreParam, type TrainOptions } from "../../src/score";
import type { LossWeighting } from "../../src/score/dsm-loss";
import { EpochBatches, runTrainer } from "../../src/train";
import { dsmPerturb, dsmSquaredError } from "../../src/tensor/dsm-loss";

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

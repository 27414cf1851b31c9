/**
 * Parameterisations (eps, x0, v, EDM) as wrappers between a network and the score: exact identities, EDM's Table 1
 * coefficients, unit-variance targets at initialisation, training through the one trainer, and checkpoints that
 * record the parameterisation (the loss weightings are in dsm-loss.test.ts, the training noise in
 * training-noise.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng, initBackend } from "../../src/tensor";
import { sigmaAt, subVpSDE, veSDE, vpSDE, type SDE } from "../../src/sde";
import { SCORE_PARAMS, dsmLoss, loadModel, mlpScoreNet, preconditioning, trainScore, trainingTimes, type ScoreParam } from "../../src/score";

const sdes: [string, SDE][] = [["vp", vpSDE()], ["ve", veSDE()], ["subvp", subVpSDE()]];
const T = [0.002, 0.05, 0.3, 0.7, 1];

test("for every parameterisation, the network output equal to its target gives the conditional score -eps / s", async () => {
  await initBackend();
  for (const [name, sde] of sdes) for (const sd of [1, 0.5]) for (const param of SCORE_PARAMS) {
    const rng = new Rng(1);
    const [x0, eps] = [rng.normal([5, 3], 0, sd), rng.normal([5, 3])];
    const t = tf.tensor1d(T);
    const [got, want, scale] = tf.tidy(() => {
      const p = preconditioning(param, sde, t, sd, x0.shape);
      const x = tf.add(tf.mul(p.a, x0), tf.mul(p.s, eps));
      return [p.score(x, p.target(x0, eps)), tf.div(tf.neg(eps), p.s), tf.div(tf.abs(x), tf.square(p.s))].map((v) => v.arraySync() as number[][]);
    });
    // float32: a handful of operations at 6e-8 relative each (1e-4 relative), plus x0's cancellation: its score
    // (a F - x) / s^2 subtracts terms of size |x| / s^2 to leave eps / s, so 16 float32 ulps of |x| / s^2 are allowed.
    got.forEach((row, i) => row.forEach((v, j) => {
      const tol = 1e-4 * (1 + Math.abs(want[i][j])) + 1e-6 * scale[i][j];
      assert.ok(Math.abs(v - want[i][j]) <= tol, `${name} ${param} sd=${sd} t=${T[i]}: ${v} vs ${want[i][j]}`);
    }));
    tf.dispose([x0, eps, t]);
  }
});

test("edm is Karras et al.'s Table 1: D = c_skip x/a + c_out F(c_in x/a, ln(sigma)/4), score = (a D - x) / s^2", async () => {
  await initBackend();
  const sd = 0.5;
  for (const [name, sde] of sdes) {
    const rng = new Rng(2);
    const [x, F] = [rng.normal([5, 2]), rng.normal([5, 2])];
    const t = tf.tensor1d(T);
    const [score, cIn, cNoise] = tf.tidy(() => {
      const p = preconditioning("edm", sde, t, sd, x.shape);
      return [p.score(x, F).arraySync(), tf.reshape(p.cIn, [5]).arraySync(), p.cNoise.arraySync()];
    }) as [number[][], number[], number[]];
    const xs = x.arraySync() as number[][], Fs = F.arraySync() as number[][];
    T.forEach((u, i) => {
      const { scale: a, std: s } = sde.marginalAt(u);
      const sig = sigmaAt(sde, u), q = sig * sig + sd * sd;
      const cSkip = (sd * sd) / q, cOut = (sig * sd) / Math.sqrt(q);
      // c_in acts on x / a in EDM's frame, so on x it is c_in / a.
      assert.ok(Math.abs(cIn[i] - 1 / Math.sqrt(q) / a) < 1e-5 * (1 / Math.sqrt(q) / a), `${name} c_in at ${u}`);
      assert.ok(Math.abs(cNoise[i] - Math.log(sig) / 4) < 1e-5, `${name} c_noise at ${u}`);
      for (let j = 0; j < 2; j++) {
        const D = cSkip * (xs[i][j] / a) + cOut * Fs[i][j];
        const want = (a * D - xs[i][j]) / (s * s);
        assert.ok(Math.abs(score[i][j] - want) <= 1e-4 * (1 + Math.abs(want)), `${name} t=${u}: ${score[i][j]} vs ${want}`);
      }
    });
    tf.dispose([x, F, t]);
  }
});

test("at initialisation (F = 0) the own-loss is 1 for eps, v and edm with data of std sigma_data: unit-variance targets", async () => {
  await initBackend();
  const sde = vpSDE(), sd = 0.5, n = 20000;
  for (const param of ["eps", "v", "edm", "x0"] as ScoreParam[]) {
    const model = mlpScoreNet(sde, [1], new Rng(5), { width: 4, depth: 1, param, sigmaData: sd });
    const rng = new Rng(6);
    const [x0, eps, t] = [rng.normal([n, 1], 0, sd), rng.normal([n, 1]), rng.uniform([n], 1e-3, 1)];
    const loss = tf.tidy(() => dsmLoss(model, x0, t, eps).dataSync()[0]);
    // E||F*||^2 is 1 for eps, v and edm and E[x0^2] = sd^2 for x0; the mean of n squares of unit-variance Gaussians
    // has standard error sqrt(2 / n) = 0.01; 5 of them are allowed.
    const want = param === "x0" ? sd * sd : 1;
    assert.ok(Math.abs(loss - want) < 5 * want * Math.sqrt(2 / n), `${param}: ${loss} vs ${want}`);
    tf.dispose([x0, eps, t]);
    model.dispose();
  }
});

test("trainScore trains every parameterisation through the one trainer; mismatches and bad names are Errors", async () => {
  await initBackend();
  const sde = vpSDE();
  const data = new Rng(8).normal([256, 2], 0, 0.5);
  for (const param of SCORE_PARAMS) {
    const model = mlpScoreNet(sde, [2], new Rng(9), { width: 32, depth: 2, param, sigmaData: 0.5 });
    const r = await trainScore(model, data, { steps: 60, rng: new Rng(10), batchSize: 64, lr: 3e-3, param, noise: param === "edm" ? "lognormal" : "uniform" });
    assert.equal(r.history.length, 60);
    const first = r.history.slice(0, 10).reduce((a, b) => a + b) / 10, last = r.history.slice(-10).reduce((a, b) => a + b) / 10;
    assert.ok(last < first, `${param}: loss ${first} -> ${last}`);
    model.dispose();
  }
  const model = mlpScoreNet(sde, [2], new Rng(9), { width: 8, depth: 1, param: "v" });
  const before = model.variables.map((v) => Array.from(v.dataSync()));
  await assert.rejects(trainScore(model, data, { steps: 2, rng: new Rng(0), param: "edm" }), /trainScore: argument 'opts.param' is "edm" but the model was built with param "v"/);
  await assert.rejects(trainScore(model, data, { steps: 2, rng: new Rng(0), param: "score" as never }), /trainScore: argument 'opts.param' must be one of eps, x0, v, edm/);
  await assert.rejects(trainScore(model, data, { steps: 2, rng: new Rng(0), weighting: "snr" as never }), /trainScore: argument 'opts.weighting' must be one of param, eps, likelihood, edm/);
  assert.deepEqual(model.variables.map((v) => Array.from(v.dataSync())), before, "weights untouched by a refused call");
  assert.throws(() => mlpScoreNet(sde, [2], new Rng(0), { param: "y" as never }), /ScoreNet: argument 'opts.param' must be one of eps, x0, v, edm/);
  model.dispose();
  data.dispose();
});

test("checkpoints record the parameterisation; loading with another one is an Error; old checkpoints are eps", async () => {
  await initBackend();
  const sde = vpSDE();
  for (const format of ["scorelab", "safetensors"] as const) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scorelab-param-"));
    const model = mlpScoreNet(sde, [2], new Rng(11), { width: 8, depth: 1, param: "edm", sigmaData: 0.5 });
    const rng = new Rng(12);
    model.variables.forEach((v) => tf.tidy(() => v.assign(rng.normal(v.shape, 0, 0.3))));
    await model.save(dir, { format });
    const back = await loadModel(dir, { param: "edm" });
    assert.equal(back.config.param, "edm");
    const x = new Rng(13).normal([3, 2]), t = tf.tensor1d([0.01, 0.5, 0.9]);
    assert.deepEqual(Array.from(back.score(x, t).dataSync()), Array.from(model.score(x, t).dataSync()));
    await assert.rejects(loadModel(dir, { param: "eps" }), /loadModel: argument 'opts.param' is "eps" but the checkpoint's parameterisation is "edm"/);
    if (format === "scorelab") {
      const file = path.join(dir, "checkpoint.json");
      const m = JSON.parse(await fs.readFile(file, "utf8"));
      delete m.param;
      await fs.writeFile(file, JSON.stringify(m));
      assert.equal((await loadModel(dir)).config.param, "eps");
      await assert.rejects(loadModel(dir, { param: "edm" }), /checkpoint's parameterisation is "eps"/);
    }
    tf.dispose([x, t]);
    back.dispose();
    model.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

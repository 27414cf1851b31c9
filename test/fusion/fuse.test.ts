import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { fuse, fusedFromJSON, weightedScore } from "../../src/fusion";

// Exact setting: auxiliaries N(mu_k, S) with a shared S; the target N(sum_k l_k mu_k, S). Diffused, every p_k,t is
// N(a mu_k, a^2 S + s^2 I): the same covariance, so sum_k l_k s_k,t = -(a^2 S + s^2 I)^-1 (x - a sum_k l_k mu_k),
// which is the target's diffused score at every t. The fused family therefore contains the target exactly.
const S = [[1, 0.3], [0.3, 0.5]];
const MUS = [[0, 0], [4, 0], [0, 4]];
const LAMBDA = [0.5, 0.3, 0.2];
const TARGET_MEAN = [0, 1].map((j) => MUS.reduce((a, m, k) => a + LAMBDA[k] * m[j], 0));

/** n draws of N(mean, S) from the Rng, through the Cholesky factor of S. */
function sampleTarget(n: number, rng: Rng): tf.Tensor2D {
  const l11 = Math.sqrt(S[0][0]), l21 = S[1][0] / l11, l22 = Math.sqrt(S[1][1] - l21 * l21);
  const z = rng.normalArray(2 * n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = TARGET_MEAN[0] + l11 * z[2 * i];
    out[2 * i + 1] = TARGET_MEAN[1] + l21 * z[2 * i] + l22 * z[2 * i + 1];
  }
  return tf.tensor2d(out, [n, 2]);
}

test("identity: sum_k l_k s_k equals the target's diffused score at every t", async () => {
  await initBackend();
  const sde = vpSDE();
  const aux = MUS.map((m) => gaussianScore(sde, m, S));
  const tgt = gaussianScore(sde, TARGET_MEAN, S);
  const fused = weightedScore(aux.map((a) => a.score), LAMBDA);
  const rng = new Rng(3);
  const x = rng.normal([64, 2], 0, 3);
  const t = rng.uniform([64], 1e-3, 1);
  const diff = tf.tidy(() => tf.max(tf.abs(fused(x, t).sub(tgt.score(x, t)))).dataSync()[0]);
  const size = tf.tidy(() => tf.max(tf.abs(tgt.score(x, t))).dataSync()[0]);
  // float32 products of numbers of size `size`: relative error ~1e-6; 1e-5 relative is comfortably above rounding.
  assert.ok(diff <= 1e-5 * Math.max(1, size), `max |fused - target| = ${diff}`);
  tf.dispose([x, t]);
  [...aux, tgt].forEach((m) => m.dispose());
});

test("learned weights recover lambda (QP and Adam agree), within a tolerance set by the sample size", async () => {
  await initBackend();
  const sde = vpSDE();
  const aux = MUS.map((m) => gaussianScore(sde, m, S));
  const n = 2000;
  const samples = 4096;
  const target = sampleTarget(n, new Rng(11));
  const fused = await fuse(aux, target, { rng: new Rng(12), method: "both", samples, adam: { steps: 600, lr: 0.05 } });
  // Tolerance. With the fused family containing the target, the estimate is driven by the sample: the DSM minimiser
  // matches the fused mean sum_k l_k mu_k to the pool's mean of x0, which deviates from the true mean with covariance
  // about S (1/n + 1/M) (the n-point sample, then resampling M pool rows). Mapping a mean error to weights divides by
  // the smallest singular value of [mu1 - mu3, mu2 - mu3] = [[0, 4], [-4, -4]], which is sqrt(24 - sqrt(320)) = 2.47.
  // Four standard deviations of the largest direction (eigenvalue of S <= 1.17): 4 sqrt(1.17 (1/2000 + 1/4096)) / 2.47
  // = 0.048; the eps noise of the pool adds a little, so 0.06.
  const sigmaMin = Math.sqrt(24 - Math.sqrt(320));
  const tol = (4 * Math.sqrt(1.17 * (1 / n + 1 / samples))) / sigmaMin + 0.012;
  fused.weights.forEach((w, k) => assert.ok(Math.abs(w - LAMBDA[k]) < tol, `weights ${fused.weights} vs ${LAMBDA} (tol ${tol})`));
  const d = fused.diagnostics;
  assert.ok(d.qp && d.adam && d.agreement !== undefined);
  // Adam on softmax logits of the same convex loss: 600 steps reach the interior optimum to ~1e-3 in weights.
  assert.ok(d.agreement! < 5e-3, `QP ${d.qp!.weights} vs Adam ${d.adam!.weights}`);
  assert.ok(d.adam!.loss >= d.qp!.loss - 1e-6 * Math.abs(d.qp!.loss), "the exact QP value is the minimum");
  // The fused loss is below each auxiliary's alone.
  d.lossPerModel.forEach((l) => assert.ok(fused.loss < l));
  assert.equal(fused.method, "both");
  tf.dispose(target);
  aux.forEach((m) => m.dispose());
});

test("the fused model is a ScoreFn-compatible model and round-trips through JSON", async () => {
  await initBackend();
  const sde = vpSDE();
  const aux = MUS.map((m) => gaussianScore(sde, m, S));
  const target = sampleTarget(200, new Rng(1));
  const fused = await fuse(aux, target, { rng: new Rng(2), samples: 512, names: ["a", "b", "c"] });
  const json = fused.toJSON();
  assert.deepEqual(json.auxiliaries, ["a", "b", "c"]);
  assert.equal(json.kind, "fused");
  const byName: Record<string, (typeof aux)[number]> = { a: aux[0], b: aux[1], c: aux[2] };
  const again = fusedFromJSON(JSON.parse(JSON.stringify(json)), (r) => byName[r], sde);
  const x = tf.randomNormal([8, 2], 0, 1, "float32", 5);
  const t = tf.fill([8], 0.3);
  const d = tf.tidy(() => tf.max(tf.abs(fused.score(x, t).sub(again.score(x, t)))).dataSync()[0]);
  assert.ok(d < 1e-6);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fused-"));
  await fused.save(dir);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "fused.json"), "utf8")).weights, fused.weights);
  tf.dispose([x, t, target]);
  aux.forEach((m) => m.dispose());
});

test("time-dependent weights start from the constant fit and do not do worse on the pool", async () => {
  await initBackend();
  const sde = vpSDE();
  const aux = MUS.map((m) => gaussianScore(sde, m, S));
  const target = sampleTarget(300, new Rng(4));
  const constant = await fuse(aux, target, { rng: new Rng(5), samples: 1024 });
  const timed = await fuse(aux, target, { rng: new Rng(5), samples: 1024, timeDependent: true, adam: { steps: 100, lr: 0.02 } });
  assert.equal(timed.method, "time-dependent");
  // Same pool (same seed); Adam started at the QP optimum with lr 0.02 may wander up slightly: allow 1% of the loss.
  assert.ok(timed.loss <= constant.loss * 1.01, `${timed.loss} vs ${constant.loss}`);
  const w = timed.weightsAt(0.5);
  assert.equal(w.length, 3);
  assert.ok(Math.abs(w.reduce((a, v) => a + v, 0) - 1) < 1e-5);
  tf.dispose(target);
  aux.forEach((m) => m.dispose());
});

test("bad inputs give clear errors", async () => {
  await initBackend();
  const sde = vpSDE();
  const a2 = gaussianScore(sde, [0, 0]);
  const a3 = gaussianScore(sde, [0, 0, 0]);
  const target = tf.zeros([10, 2]);
  await assert.rejects(fuse([], target, { sde }), /fuse: argument 'models' must hold at least one/);
  await assert.rejects(fuse([a2, a3], target), /fuse: argument 'models\[1\]'.*dimension differs|fuse: argument 'models\[1\]' failed/);
  await assert.rejects(fuse([a2, a2], target, { weights: [0.5, 0.6] }), /fuse: argument 'opts.weights' must sum to 1/);
  const nan = tf.tensor2d([[0, NaN], [1, 1]]);
  await assert.rejects(fuse([a2], nan), /fuse: argument 'target' contains NaN/);
  await assert.rejects(fuse([a2.score], target), /fuse: argument 'opts.sde' is required/);
  await assert.rejects(fuse([a2], target, { tRange: [0.5, 0.1] }), /opts.tRange\[1\]/);
  tf.dispose([target, nan]);
  a2.dispose(); a3.dispose();
});

test("given weights are evaluated, not learned; no tensor leak across repeated calls", async () => {
  await initBackend();
  const sde = vpSDE();
  const aux = MUS.map((m) => gaussianScore(sde, m, S));
  const target = sampleTarget(100, new Rng(8));
  const given = await fuse(aux, target, { rng: new Rng(9), samples: 256, weights: LAMBDA });
  assert.deepEqual(given.weights, LAMBDA);
  assert.equal(given.method, "given");
  const run = async () => {
    const f = await fuse(aux, target, { rng: new Rng(9), samples: 256, method: "both", adam: { steps: 20 } });
    const x = tf.zeros([4, 2]);
    const t = tf.fill([4], 0.5);
    tf.dispose([f.score(x, t), x, t]);
    const g = await fuse(aux, target, { rng: new Rng(9), samples: 256, timeDependent: true, adam: { steps: 5 } });
    const y = tf.zeros([4, 2]);
    const u = tf.fill([4], 0.5);
    tf.dispose([g.score(y, u), y, u]);
    g.weightsAt(0.2);
  };
  await run();
  const before = tf.memory().numTensors;
  await run();
  await run();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(target);
  aux.forEach((m) => m.dispose());
});

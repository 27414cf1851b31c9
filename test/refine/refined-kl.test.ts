import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { GaussianMixture } from "../../src/data";
import { STUDY_DATA, STUDY_MODEL, exactLogRatio, refinedKL, type LogRatioFn } from "../../src/refine";

const p = new GaussianMixture(STUDY_DATA), q = new GaussianMixture(STUDY_MODEL);
const logP = (x: tf.Tensor2D) => p.logDensity(x), logQ = (x: tf.Tensor2D) => q.logDensity(x);
const constant = (c: number): LogRatioFn => ({ dim: 2, logit: (x) => tf.fill([x.shape[0]], c) as tf.Tensor1D });
// The weights' KL: with the modes 8 std apart the components do not overlap (overlap ~ e^-32), so
// KL(p || q) = sum_k p_k log(p_k / q_k) exactly up to float.
const WEIGHT_KL = 0.5 * Math.log(0.5 / 0.8) + 0.5 * Math.log(0.5 / 0.2);

test("refinedKL: the base KL is the weights' closed form; the exact ratio refines to KL 0; a constant ratio changes nothing", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const m = 20000, rng = new Rng(3);
  const test_ = p.sample(m, rng.fork(1)), pool = q.sample(m, rng.fork(2));
  const exact = refinedKL({ test: test_, pool, logP, logQ, ratio: exactLogRatio(null, p, q) });
  // log(p/q) on a test point is log 0.625 or log 2.5 (std 0.693 over p): 4 standard errors on m points.
  assert.ok(Math.abs(exact.base - WEIGHT_KL) < 4 * 0.693 / Math.sqrt(m), `base ${exact.base} against ${WEIGHT_KL}`);
  // With v = log p/q the refined law is p: the estimate is log mean_q(p/q), whose std over q is sqrt(0.5625) = 0.75.
  assert.ok(Math.abs(exact.refined) < 4 * 0.75 / Math.sqrt(m), `refined ${exact.refined}`);
  const zero = refinedKL({ test: test_, pool, logP, logQ, ratio: constant(0) });
  assert.equal(zero.refined, zero.base);
  assert.equal(zero.logZ, 0);
  // A constant log ratio c is absorbed by Z: q e^c / E_q[e^c] = q (float32 rounding of c = 3 only).
  const shifted = refinedKL({ test: test_, pool, logP, logQ, ratio: constant(3) });
  assert.ok(Math.abs(shifted.refined - shifted.base) < 1e-5, `${shifted.refined} vs ${shifted.base}`);
  assert.ok(Math.abs(shifted.logZ - 3) < 1e-5);
  tf.dispose([test_, pool]);
  assert.equal(tf.memory().numTensors, before);
});

test("refinedKL: bad input is one clear error naming the argument", async () => {
  await initBackend();
  const x = tf.zeros([4, 2]) as tf.Tensor2D, y = tf.zeros([4, 3]) as tf.Tensor2D;
  assert.throws(() => refinedKL({ test: x, pool: y, logP, logQ, ratio: constant(0) }), /refinedKL: argument 'input.pool' must have 2 columns/);
  assert.throws(() => refinedKL({ test: x, pool: x, logP: 3 as never, logQ, ratio: constant(0) }), /refinedKL: argument 'input.logP'/);
  assert.throws(() => refinedKL({ test: x, pool: x, logP, logQ, ratio: { dim: 3, logit: constant(0).logit } }), /refinedKL: argument 'input.ratio' must take 2-dimensional/);
  tf.dispose([x, y]);
});

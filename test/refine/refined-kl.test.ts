import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { GaussianMixture } from "../../src/data";
import { STUDY_DATA, STUDY_MODEL } from "../../src/refine/generalization-run";
import { exactLogRatio } from "../../src/refine/exact-ratio";
import type { LogRatioFn } from "../../src/refine/discriminator";
import { refinedKL, type RefinedLaw } from "../../src/refine/refined-kl";

const p = new GaussianMixture(STUDY_DATA), q = new GaussianMixture(STUDY_MODEL);
const logP = (x: tf.Tensor2D) => p.logDensity(x), logQ = (x: tf.Tensor2D) => q.logDensity(x);
const constant = (c: number): LogRatioFn => ({ dim: 2, logit: (x) => tf.fill([x.shape[0]], c) as tf.Tensor1D });
// The weights' KL: with the modes 8 std apart the components do not overlap (overlap ~ e^-32), so
// KL(p || q) = sum_k p_k log(p_k / q_k) exactly up to float.
const WEIGHT_KL = 0.5 * Math.log(0.5 / 0.8) + 0.5 * Math.log(0.5 / 0.2);

/** A refined law as refineGenerator leaves it: the ratio, read as a classifier's logit, and its values on the pool. */
function lawOf(ratio: LogRatioFn, pool: tf.Tensor2D): RefinedLaw {
  const v = ratio.logit(pool);
  const logRatio = Float64Array.from(v.dataSync());
  v.dispose();
  return { discriminator: ratio, objective: "bce", logRatio };
}

test("refinedKL: the base KL is the weights' closed form; the exact ratio refines to KL 0; a constant ratio changes nothing", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const m = 20000, rng = new Rng(3);
  const test_ = p.sample(m, rng.fork(1)), pool = q.sample(m, rng.fork(2));
  const exact = refinedKL({ test: test_, logP, logQ, refined: lawOf(exactLogRatio(null, p, q), pool) });
  // log(p/q) on a test point is log 0.625 or log 2.5 (std 0.693 over p): 4 standard errors on m points.
  assert.ok(Math.abs(exact.base - WEIGHT_KL) < 4 * 0.693 / Math.sqrt(m), `base ${exact.base} against ${WEIGHT_KL}`);
  // With v = log p/q the refined law is p: the estimate is log mean_q(p/q), whose std over q is sqrt(0.5625) = 0.75.
  assert.ok(Math.abs(exact.refined) < 4 * 0.75 / Math.sqrt(m), `refined ${exact.refined}`);
  // The stated Monte Carlo errors are those closed forms: the base's sd of log(p/q) over p is log(4) / 2 = 0.693;
  // the refined one's held-out term is 0 (log p - log q - v = 0 up to float), so only log Z's delta-method error
  // sd_q(p/q) / sqrt(m) = 0.75 / sqrt(m) is left. A sample sd over 20,000 two-valued draws is within ~1 % of its
  // law's, so 5 % is a safe tolerance.
  const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a / b - 1) < 0.05, `${what}: ${a} against ${b}`);
  near(exact.baseSE, Math.log(4) / 2 / Math.sqrt(m), "base SE");
  near(exact.refinedSE, 0.75 / Math.sqrt(m), "refined SE");
  const zero = refinedKL({ test: test_, logP, logQ, refined: lawOf(constant(0), pool) });
  assert.equal(zero.refined, zero.base);
  assert.equal(zero.logZ, 0);
  // A constant ratio has no weight spread, so the refined error is the base's exactly.
  assert.equal(zero.refinedSE, zero.baseSE);
  // A constant log ratio c is absorbed by Z: q e^c / E_q[e^c] = q (float32 rounding of c = 3 only).
  const shifted = refinedKL({ test: test_, logP, logQ, refined: lawOf(constant(3), pool) });
  assert.ok(Math.abs(shifted.refined - shifted.base) < 1e-5, `${shifted.refined} vs ${shifted.base}`);
  assert.ok(Math.abs(shifted.logZ - 3) < 1e-5);
  tf.dispose([test_, pool]);
  assert.equal(tf.memory().numTensors, before);
});

test("refinedKL: bad input is one clear error naming the argument", async () => {
  await initBackend();
  const x = tf.zeros([4, 2]) as tf.Tensor2D;
  const law = (over: Partial<RefinedLaw>): RefinedLaw => ({ discriminator: constant(0), objective: "bce", logRatio: [0, 0], ...over });
  assert.throws(() => refinedKL({ test: x, logP, logQ, refined: law({ logRatio: [] }) }), /refinedKL: argument 'input.refined.logRatio' must be the non-empty/);
  assert.throws(() => refinedKL({ test: x, logP, logQ, refined: law({ logRatio: [0, NaN] }) }), /refinedKL: argument 'input.refined.logRatio' must be finite/);
  assert.throws(() => refinedKL({ test: x, logP: 3 as never, logQ, refined: law({}) }), /refinedKL: argument 'input.logP'/);
  assert.throws(() => refinedKL({ test: x, logP, logQ, refined: law({ discriminator: { dim: 3, logit: constant(0).logit } }) }), /refinedKL: argument 'input.refined.discriminator' must take 2-dimensional/);
  assert.throws(() => refinedKL({ test: x, logP, logQ, refined: undefined as never }), /refinedKL: argument 'input.refined'/);
  x.dispose();
});

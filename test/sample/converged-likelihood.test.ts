import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score";
import { convergedLikelihood } from "../../src/sample/converged-likelihood";

test("the doubled-step likelihood of a diffused Gaussian matches its closed form within the tolerance", async () => {
  await initBackend();
  const sde = vpSDE();
  const d = 4;
  const s2 = 0.25;
  const model = gaussianScore(sde, new Array(d).fill(0), s2);
  const x = new Rng(1).normal([64, d]).mul(0.5);
  // The ODE returns log p at tMin, where the law is N(0, v I) with v = a^2 s2 + std^2 (both from the SDE).
  const { scale, std } = sde.marginal(tf.tensor1d([sde.tMin]));
  const v = scale.dataSync()[0] ** 2 * s2 + std.dataSync()[0] ** 2;
  const sq = tf.sum(tf.square(x), 1).dataSync();
  const exactBpd = Array.from(sq).reduce((a, q) => a + (q / (2 * v) + (d / 2) * Math.log(2 * Math.PI * v)) / (d * Math.LN2), 0) / sq.length;
  const tol = 0.01;
  const r = await convergedLikelihood(model.score, sde, x, { tol, rng: new Rng(3) });
  assert.ok(r.converged);
  assert.equal(r.trace[r.trace.length - 1].steps, r.steps);
  // The score's Jacobian is c(t) I, so a Rademacher probe gives z J z = c d exactly: only RK4 error is left, and at the
  // accepted step count it is about |last change| / 15 (h^4), well inside tol.
  assert.ok(Math.abs(r.bitsPerDim - exactBpd) < tol, `${r.bitsPerDim} vs ${exactBpd}`);
  tf.dispose([x, scale, std]);
});

test("convergedLikelihood says so when the step cap comes first, and validates its options", async () => {
  await initBackend();
  const sde = vpSDE();
  const model = gaussianScore(sde, [0, 0], 0.01);
  const x = tf.tensor2d([[0.1, -0.1], [0.05, 0.2]]);
  const r = await convergedLikelihood(model.score, sde, x, { startSteps: 2, maxSteps: 4, tol: 1e-12, rng: new Rng(0) });
  assert.equal(r.converged, false);
  assert.deepEqual(r.trace.map((p) => p.steps), [2, 4]);
  await assert.rejects(convergedLikelihood(model.score, sde, x, { startSteps: 8, maxSteps: 8, rng: new Rng(0) }), /convergedLikelihood: argument 'opts.maxSteps'/);
  await assert.rejects(convergedLikelihood(model.score, sde, x, { tol: 0, rng: new Rng(0) }), /argument 'opts.tol'/);
  await assert.rejects(convergedLikelihood(model.score, sde, x, { seed: 3 } as never), /convergedLikelihood: argument 'opts.rng' must be an Rng/);
  x.dispose();
});

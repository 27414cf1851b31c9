/**
 * The assignment checks (src/check/checks.ts): each passes the reference solution and fails each common wrong
 * version with the hint meant for it; runCheck throws so a grader counts the cell as failed; no tensors leak.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import type { SDE, ScoreFn } from "../../src/sde/types";
import { checkCopyRate, checkDsmLoss, checkEmStep, runCheck, CheckFailure } from "../../src/check";

type T2 = tf.Tensor2D;
const row = (v: tf.Tensor) => v.reshape([-1, 1]);

/** The reference solutions, as in the source notebooks. */
export const refDsm = (score: ScoreFn, sde: SDE, x0: T2, t: tf.Tensor1D, eps: T2) => tf.tidy(() => {
  const { scale, std } = sde.marginal(t);
  const xt = x0.mul(row(scale)).add(eps.mul(row(std)));
  const r = score(xt, t).add(eps.div(row(std)));
  return r.square().sum(1).mul(std.square()).mean();
});
export const refEm = (score: ScoreFn, sde: SDE, x: T2, t: number, dt: number, z: T2) => tf.tidy(() => {
  const tt = tf.fill([x.shape[0]], t);
  const g = row(sde.diffusion(tt));
  return x.sub(sde.drift(x, tt).sub(g.square().mul(score(x, tt))).mul(dt)).add(g.mul(Math.sqrt(dt)).mul(z));
});
export const refCopy = (gen: number[][], train: number[][], ratio: number) => {
  let copies = 0;
  for (const p of gen) {
    const d = train.map((q) => Math.sqrt(q.reduce((s, v, j) => s + (v - p[j]) ** 2, 0))).sort((a, b) => a - b);
    if (d[0] < ratio * d[1]) copies++;
  }
  return copies / gen.length;
};

test("setup", async () => { await initBackend(); });

test("dsm-loss: reference passes; wrong versions fail with their hint", () => {
  assert.equal(checkDsmLoss(refDsm).passed, true, checkDsmLoss(refDsm).message);
  const wrong: [string, typeof refDsm, RegExp][] = [
    ["no weight", (s, sde, x0, t, eps) => tf.tidy(() => { const { scale, std } = sde.marginal(t); return s(x0.mul(row(scale)).add(eps.mul(row(std))), t).add(eps.div(row(std))).square().sum(1).mean(); }), /lambda\(t\) = s\(t\)\^2 is missing/],
    ["sum over batch", (s, sde, x0, t, eps) => tf.tidy(() => refDsm(s, sde, x0, t, eps).mul(x0.shape[0])), /mean over the n rows/],
    ["score at x0", (s, sde, x0, t, eps) => tf.tidy(() => { const { std } = sde.marginal(t); return s(x0, t).add(eps.div(row(std))).square().sum(1).mul(std.square()).mean(); }), /noised point/],
    ["not implemented", () => { throw new Error("not implemented yet: replace this line with your code"); }, /not implemented yet/],
    ["vector", (s, sde, x0, t, eps) => tf.tidy(() => tf.stack([refDsm(s, sde, x0, t, eps), refDsm(s, sde, x0, t, eps)])), /one number/],
  ];
  for (const [label, fn, hint] of wrong) {
    const r = checkDsmLoss(fn);
    assert.equal(r.passed, false, label);
    assert.match(r.message, hint, label);
  }
});

test("em-step: reference passes; wrong versions fail with their hint", () => {
  assert.equal(checkEmStep(refEm).passed, true, checkEmStep(refEm).message);
  const step = (noise: (dt: number) => number, gPow: 1 | 2, sign: 1 | -1) => (score: ScoreFn, sde: SDE, x: T2, t: number, dt: number, z: T2) => tf.tidy(() => {
    const tt = tf.fill([x.shape[0]], t);
    const g = row(sde.diffusion(tt));
    return x.add(sde.drift(x, tt).sub(g.pow(gPow).mul(score(x, tt))).mul(-sign * dt)).add(g.mul(noise(dt)).mul(z));
  });
  const wrong: [string, ReturnType<typeof step>, RegExp][] = [
    ["dt noise", step((dt) => dt, 2, 1), /sqrt\(dt\)/],
    ["g not g^2", step(Math.sqrt, 1, 1), /g\(t\)\^2, not g\(t\)/],
    ["sign", step(Math.sqrt, 2, -1), /minus sign/],
    ["no noise", step(() => 0, 2, 1), /stochastic/],
  ];
  for (const [label, fn, hint] of wrong) {
    const r = checkEmStep(fn);
    assert.equal(r.passed, false, label);
    assert.match(r.message, hint, label);
  }
  const shape = checkEmStep((s, sde, x) => x.sum());
  assert.match(shape.message, /shape of x/);
});

test("copy-rate: reference passes; wrong versions fail with their hint", () => {
  assert.equal(checkCopyRate(refCopy).passed, true, checkCopyRate(refCopy).message);
  const count = (g: number[][], t: number[][], r: number) => refCopy(g, t, r) * g.length;
  const inverted = (g: number[][], t: number[][], r: number) => 1 - refCopy(g, t, r);
  const fixed = (g: number[][], t: number[][]) => refCopy(g, t, 1 / 3);
  for (const [fn, hint] of [[count, /fraction/], [inverted, /BELOW/], [fixed, /threshold passed in/]] as const) {
    const r = checkCopyRate(fn);
    assert.equal(r.passed, false);
    assert.match(r.message, hint);
  }
  const mutating = (g: number[][], t: number[][], r: number) => { const v = refCopy(g, t, r); g.sort(); return v; };
  assert.match(checkCopyRate(mutating).message, /changed its input/);
});

test("runCheck prints PASS, throws CheckFailure with the hint on FAIL, and rejects unknown names", () => {
  const lines: string[] = [];
  assert.equal(runCheck("copy-rate", refCopy, { print: (l) => lines.push(l) }).passed, true);
  assert.match(lines[0], /^PASS copy-rate: passed 6 random cases/);
  assert.throws(() => runCheck("copy-rate", () => 0.5, { print: (l) => lines.push(l) }), (e: unknown) => e instanceof CheckFailure && /expected .*got 0\.5/.test(e.message));
  assert.match(lines[1], /^FAIL copy-rate: wrong answer on case 1/);
  assert.throws(() => runCheck("dsm", refCopy), /runCheck: argument 'name' must be one of dsm-loss, em-step, copy-rate/);
  assert.throws(() => checkDsmLoss(42 as never), /checkDsmLoss: argument 'fn'/);
});

test("checks leave no tensors behind", () => {
  checkDsmLoss(refDsm); checkEmStep(refEm);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) { checkDsmLoss(refDsm); checkEmStep(refEm); }
  assert.equal(tf.memory().numTensors, before);
});

// The DSM loss kernels (src/tensor/dsm-loss.ts, native/torch/ops_dsm.cc) against the tfjs ops they replace, values
// and gradients. On torch the kernels call the same ATen functions in the same order as the ops' kernels, so the
// results must be equal bit for bit (tolerance 0); on wasm both paths are the tfjs ops.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng, dsmPerturb, dsmSquaredError } from "../../src/tensor";
import { torchServes } from "../../src/tensor/torch/serves";

function same(a: tf.Tensor, b: tf.Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), `${what}: values`);
}

test("on torch the DSM loss runs as its own kernels", async () => {
  await initBackend();
  if (tf.getBackend() !== "torch") return;
  for (const k of ["ScorelabDsmPerturb", "ScorelabDsmSquaredError", "ScorelabDsmSquaredErrorGrad"]) assert.ok(torchServes(k), k);
  const rng = new Rng(1);
  const x0 = rng.normal([4, 3]), eps = rng.normal([4, 3]), a = rng.uniform([4], 0.1, 1), s = rng.uniform([4], 0.1, 1);
  const v = tf.variable(tf.ones([4, 3]));
  const info = await tf.profile(() => tf.variableGrads(() => dsmSquaredError(tf.mul(dsmPerturb(x0, eps, a, s), v), eps)));
  const names = info.kernels.map((k) => k.name);
  for (const k of ["ScorelabDsmPerturb", "ScorelabDsmSquaredError", "ScorelabDsmSquaredErrorGrad"]) assert.ok(names.includes(k), `${k} in ${names}`);
  assert.ok(!names.includes("Square") && !names.includes("Mean"), `no Square/Mean kernels: ${names}`);
});

test("dsmPerturb equals x0 a + eps s by tfjs ops, with its gradients in all four inputs", async () => {
  await initBackend();
  const rng = new Rng(2);
  for (const shape of [[64, 2], [5, 4, 4, 1], [3]]) {
    const x0 = rng.normal(shape), eps = rng.normal(shape), a = rng.uniform([shape[0]], 0.01, 1), s = rng.uniform([shape[0]], 0.01, 1);
    const dy = rng.normal(shape);
    same(dsmPerturb(x0, eps, a, s), dsmPerturb(x0, eps, a, s, false), `perturb ${shape}`);
    const grads = (native: boolean) => tf.grads((u: tf.Tensor, e: tf.Tensor, p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(dsmPerturb(u, e, p, q, native), dy)))([x0, eps, a, s]);
    const [gn, go] = [grads(true), grads(false)];
    ["x0", "eps", "a", "s"].forEach((name, i) => same(gn[i], go[i], `perturb gradient ${name} ${shape}`));
  }
});

test("dsmSquaredError equals mean((F - target)^2 w) by tfjs ops, with its gradients", async () => {
  await initBackend();
  const rng = new Rng(3);
  for (const [shape, wShape] of [[[512, 2], null], [[7, 4, 4, 1], [7, 1, 1, 1]], [[6, 3], [6, 3]], [[6, 3], [6, 1]]] as [number[], number[] | null][]) {
    const F = rng.normal(shape), target = rng.normal(shape), w = wShape ? rng.uniform(wShape, 0.1, 3) : undefined;
    const ours = dsmSquaredError(F, target, w), ops = dsmSquaredError(F, target, w, false);
    same(ours, ops, `loss ${shape} w ${wShape}`);
    // The value itself, against a float64 sum on the host: float32 rounding of ~N terms of size ~2 (relative 1e-5).
    const f = F.dataSync(), g = target.dataSync(), wb = w ? tf.broadcastTo(w, shape).dataSync() : null;
    let ref = 0;
    for (let i = 0; i < f.length; i++) ref += (f[i] - g[i]) ** 2 * (wb ? wb[i] : 1);
    ref /= f.length;
    assert.ok(Math.abs(ours.dataSync()[0] - ref) <= 1e-5 * ref, `loss ${ours.dataSync()[0]} against ${ref}`);
    const inputs = w ? [F, target, w] : [F, target];
    const grads = (native: boolean) => tf.grads((...xs: tf.Tensor[]) => tf.mul(dsmSquaredError(xs[0], xs[1], xs[2], native), 3))(inputs);
    const [gn, go] = [grads(true), grads(false)];
    ["F", "target", "w"].slice(0, inputs.length).forEach((name, i) => same(gn[i], go[i], `loss gradient ${name} ${shape} w ${wShape}`));
  }
});

test("the DSM kernels leave no tensors behind and keep their inputs", async () => {
  await initBackend();
  const rng = new Rng(4);
  const x0 = rng.normal([8, 2]), eps = rng.normal([8, 2]), a = rng.uniform([8], 0.1, 1), s = rng.uniform([8], 0.1, 1);
  const v = tf.variable(tf.ones([8, 2]));
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const { value, grads } = tf.variableGrads(() => dsmSquaredError(tf.mul(dsmPerturb(x0, eps, a, s), v), eps));
    value.dispose(); tf.dispose(grads);
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(x0.isDisposed || eps.isDisposed || a.isDisposed || s.isDisposed, false);
});

test("bad input to the DSM kernels is an Error naming the function and the argument", async () => {
  await initBackend();
  const x = tf.zeros([4, 2]);
  assert.throws(() => dsmPerturb(x, tf.zeros([4, 3]), tf.ones([4]), tf.ones([4])), /dsmPerturb.*'?eps'?.*shaped like x0/);
  assert.throws(() => dsmPerturb(x, x, tf.ones([3]), tf.ones([4])), /dsmPerturb.*'?a'?.*one factor per row/);
  assert.throws(() => dsmSquaredError(x, tf.zeros([2, 4])), /dsmSquaredError.*'?target'?.*shaped like F/);
  assert.throws(() => dsmSquaredError(x, x, tf.ones([3, 1])), /dsmSquaredError.*'?w'?.*broadcast/);
  assert.equal(x.isDisposed, false);
});

// groupNormNHWC (src/tensor/group-norm.ts): the native kernels (OpenBLAS addon on wasm, one addon op on torch) and
// their gradients against the tf.moments path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { activateTorch, torchAddon } from "../../src/tensor/torch";
import { Rng } from "../../src/tensor/rng";
import { close } from "./close";
import { groupNormNHWC } from "../../src/tensor/group-norm";

/** groupNormNHWC's native path against the tf.moments path, forward and gradients, on the active backend. */
function compareWithMoments(): void {
  const rng = new Rng(12);
  for (const [shape, groups] of [[[3, 4, 5, 8], 4], [[2, 2, 2, 6], 1], [[1, 3, 3, 4], 4]] as [number[], number][]) {
    // A shifted, scaled input checks the variance (native: double sums; ops: float32 two-pass).
    const x = tf.add(tf.mul(rng.normal(shape), 3), 2) as tf.Tensor4D;
    const gamma = rng.normal([shape[3]]), beta = rng.normal([shape[3]]), dy = rng.normal(shape);
    // Normalised values are O(1); float32 statistics over >= 8 elements agree to ~1e-6, 1e-4 leaves margin.
    close(groupNormNHWC(x, gamma, beta, groups), groupNormNHWC(x, gamma, beta, groups, 1e-5, false), `groupNorm ${shape} / ${groups}`, 1e-4);
    const grads = (native: boolean) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupNormNHWC(a as tf.Tensor4D, g, b, groups, 1e-5, native), dy)))([x, gamma, beta]);
    const [gn, go] = [grads(true), grads(false)];
    ["x", "gamma", "beta"].forEach((name, i) => close(gn[i], go[i], `groupNorm gradient ${name} ${shape}`, 1e-3));
    tf.dispose([x, gamma, beta, dy, ...gn, ...go]);
  }
}

test("groupNorm and its gradients (x, gamma, beta) equal the tf.moments path", async () => {
  await initBackend("wasm");
  compareWithMoments();
  assert.throws(() => groupNormNHWC(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, tf.ones([6]), tf.zeros([6]), 4), /groupNormNHWC.*'groups'.*divide/);
});

test("torch groupNorm and its gradients equal the tf.moments path", async () => {
  await activateTorch("cpu");
  compareWithMoments();
});

/** The largest |a - b| and the largest |b| over all elements. */
function maxDiff(a: tf.Tensor, b: tf.Tensor): { diff: number; scale: number } {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync(), y = b.dataSync();
  let diff = 0, scale = 0;
  for (let i = 0; i < x.length; i++) { diff = Math.max(diff, Math.abs(x[i] - y[i])); scale = Math.max(scale, Math.abs(y[i])); }
  return { diff, scale };
}

/** The U28 shape: values and the three gradients of one normalisation with a random cotangent, native or ops. */
function u28Case(native: boolean, x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  const y = groupNormNHWC(x, gamma, beta, 4, 1e-5, native);
  const g = tf.grads((a: tf.Tensor, ga: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupNormNHWC(a as tf.Tensor4D, ga, b, 4, 1e-5, native), dy)))([x, gamma, beta]);
  return [y, ...g];
}

function u28Inputs() {
  const rng = new Rng(21), shape = [32, 28, 28, 16];
  // Mean 2, std 3: the statistics are not those of an already normalised input.
  const x = tf.tidy(() => tf.add(tf.mul(rng.normal(shape), 3), 2)) as tf.Tensor4D;
  return { x, gamma: rng.normal([16]), beta: rng.normal([16]), dy: rng.normal(shape) };
}

test("torch groupNorm at [32,28,28,16] / 4 groups: values and the three gradients equal the tf.moments path", async () => {
  await activateTorch("cpu");
  const { x, gamma, beta, dy } = u28Inputs();
  const [nat, ops] = [u28Case(true, x, gamma, beta, dy), u28Case(false, x, gamma, beta, dy)];
  // Tolerances relative to the largest reference value. The native kernel sums in double; the ops path sums in
  // float32 (eps 6e-8) over m = 28*28*4 = 3136 elements per group for the statistics and 32*28*28 = 25088 per channel
  // for dgamma and dbeta. ATen's pairwise float32 sums err by about log2(m) eps ~ 1e-6 of the sum of |terms|.
  // y and dx carry the statistics' error times |xhat| <= ~5 (measured 6e-7 and 5e-7 of their largest value): 1e-5.
  // dgamma = sum dy xhat and dbeta = sum dy add ~25088 terms of size ~0.6 to a total of ~300 (a random walk), so the
  // sum of |terms| is ~50x the total: 1e-6 x 50 = 5e-5; measured 3e-7 and 1e-7. 1e-4 of the largest value.
  ["y", "dx", "dgamma", "dbeta"].forEach((name, i) => {
    const { diff, scale } = maxDiff(nat[i], ops[i]);
    const tol = (i < 2 ? 1e-5 : 1e-4) * scale;
    assert.ok(scale > 0 && diff <= tol, `${name}: max |native - ops| ${diff} > ${tol} (largest value ${scale})`);
  });
  tf.dispose([x, gamma, beta, dy, ...nat, ...ops]);
});

test("torch groupNorm gives the same bits at 1 and 2 intra-op threads (values and all three gradients)", async () => {
  const info = await activateTorch("cpu");
  const addon = torchAddon();
  const { x, gamma, beta, dy } = u28Inputs();
  const bits = (threads: number) => {
    addon.setThreads(threads);
    assert.equal(addon.info().threads, threads, "the thread setting took");
    const out = u28Case(true, x, gamma, beta, dy);
    const b = out.map((t) => Buffer.from((t.dataSync() as Float32Array).slice().buffer));
    tf.dispose(out);
    return b;
  };
  try {
    const [one, two] = [bits(1), bits(2)];
    ["y", "dx", "dgamma", "dbeta"].forEach((name, i) => assert.ok(one[i].equals(two[i]), `${name}: 1 and 2 threads differ`));
  } finally {
    addon.setThreads(info.threads);
    tf.dispose([x, gamma, beta, dy]);
  }
});

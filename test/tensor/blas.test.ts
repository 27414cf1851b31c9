import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  initBackend, backendInfo, blasStatus, setWasmBlas, loadBlasAddon, Rng, FusedAdam, fusedAdamAvailable, im2col3x3, silu, groupNormNHWC,
} from "../../src/tensor";
import { close } from "./close";

// The OpenBLAS addon serves the wasm backend only, so this file forces wasm whatever backend the suite runs on.
// Every comparison is float32 sgemm against the wasm kernel on the same inputs: both sum K products of N(0,1)
// numbers in different orders, so the difference is rounding, about eps32 * sqrt(K) * |typical partial sum|
// (~1e-7 * 17 * 17 for K = 300). 1e-4 absolute + 1e-4 relative leaves a wide margin and still catches any
// wrong index or transpose (those give errors of order 1).

/** Runs fn with the OpenBLAS path on and off; returns both results (the caller disposes). */
function both(fn: () => tf.Tensor): [tf.Tensor, tf.Tensor] {
  setWasmBlas(true);
  const fast = fn();
  setWasmBlas(false);
  const plain = fn();
  setWasmBlas(true);
  return [fast, plain];
}

test("the addon is built here, active on wasm, and reported by backendInfo", async () => {
  await initBackend("wasm");
  const info = backendInfo();
  assert.equal(info.name, "wasm");
  // libopenblas-dev is in .ci/debian-packages, so the install step builds the addon on this machine and in CI.
  assert.equal(info.blas, true, `blas off: ${info.blasReason}`);
  assert.equal(blasStatus().active, true);
  assert.ok(loadBlasAddon().addon);
});

test("matMul through OpenBLAS equals the wasm kernel: all transpose flags, sizes 1..300", async () => {
  await initBackend("wasm");
  const rng = new Rng(1);
  const sizes: [number, number, number][] = [[1, 1, 1], [1, 7, 3], [5, 1, 9], [17, 33, 1], [64, 64, 64], [300, 2, 300], [2, 300, 300], [129, 257, 65], [300, 300, 300]];
  for (const [m, k, n] of sizes) {
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const a = rng.normal(ta ? [k, m] : [m, k]), b = rng.normal(tb ? [n, k] : [k, n]);
      const [fast, plain] = both(() => tf.matMul(a, b, ta, tb));
      close(fast, plain, `matMul ${m}x${k}x${n} ta=${ta} tb=${tb}`);
      tf.dispose([a, b, fast, plain]);
    }
  }
});

test("batched 3-D products, broadcast batches and fused bias + activation equal the wasm kernels", async () => {
  await initBackend("wasm");
  const rng = new Rng(2);
  const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [4, 6, 5], b: [4, 5, 3], ta: false, tb: false },
    { a: [3, 5, 6], b: [3, 7, 5], ta: true, tb: true },
    { a: [1, 6, 5], b: [4, 5, 3], ta: false, tb: false },
    { a: [4, 6, 5], b: [5, 3], ta: false, tb: false },
    { a: [2, 3, 8, 4], b: [2, 3, 4, 9], ta: false, tb: false },
  ];
  for (const c of cases) {
    const a = rng.normal(c.a), b = rng.normal(c.b);
    const [fast, plain] = both(() => tf.matMul(a, b, c.ta, c.tb));
    close(fast, plain, `batched ${c.a} x ${c.b}`);
    tf.dispose([a, b, fast, plain]);
  }
  for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
      const a = rng.normal(ta ? [40, 30] : [30, 40]), b = rng.normal(tb ? [20, 40] : [40, 20]), bias = rng.normal([20]);
      const [fast, plain] = both(() => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: ta, transposeB: tb, bias, activation, leakyreluAlpha: 0.1 }));
      close(fast, plain, `fused ${activation} ta=${ta} tb=${tb}`);
      tf.dispose([a, b, bias, fast, plain]);
    }
  }
});

test("gradients of a dense layer and sums over blocks of axes equal the plain path", async () => {
  await initBackend("wasm");
  const rng = new Rng(3);
  const x = rng.normal([37, 23]), w = rng.normal([23, 11]), bias = rng.normal([11]);
  const grads = () => tf.tidy(() => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" }))))([x, w, bias]);
    return tf.concat(g.map((t) => tf.reshape(t, [-1])));
  });
  const [gf, gp] = both(grads);
  close(gf, gp, "dense-layer gradients", 1e-3);
  const y = rng.normal([3, 4, 5, 6]);
  for (const axis of [0, 1, 3, [0, 1], [1, 2], [1, 2, 3], [0, 1, 2, 3], -1]) {
    for (const keep of [false, true]) {
      const [sf, sp] = both(() => tf.sum(y, axis, keep));
      close(sf, sp, `sum axis ${JSON.stringify(axis)} keepDims ${keep}`);
      tf.dispose([sf, sp]);
    }
  }
  const [nf, np] = both(() => tf.sum(y, [0, 2]));
  close(nf, np, "sum over non-adjacent axes (wasm kernel)");
  tf.dispose([x, w, bias, gf, gp, y, nf, np]);
});

test("without the addon (loader injection) the wasm kernels serve and give the same numbers", async () => {
  await initBackend("wasm");
  const a = new Rng(7).normal([30, 20]), b = new Rng(8).normal([30, 10]);
  const withBlas = tf.matMul(a, b, true, false);
  const s = setWasmBlas(true, () => ({ addon: null, reason: "simulated: addon absent" }));
  assert.deepEqual(s, { active: false, reason: "simulated: addon absent" });
  assert.equal(fusedAdamAvailable(), false);
  const without = tf.matMul(a, b, true, false);
  close(without, withBlas, "fallback product");
  const throwing = setWasmBlas(true, () => loadBlasAddon("/nonexistent/scorelab_blas.node"));
  assert.equal(throwing.active, false);
  assert.match(throwing.reason ?? "", /not built/);
  const prev = process.env.SCORELAB_BLAS;
  process.env.SCORELAB_BLAS = "0";
  assert.deepEqual(setWasmBlas(true), { active: false, reason: "SCORELAB_BLAS=0" });
  if (prev === undefined) delete process.env.SCORELAB_BLAS; else process.env.SCORELAB_BLAS = prev;
  assert.equal(setWasmBlas(true).active, true);
  tf.dispose([a, b, withBlas, without]);
});

test("the OpenBLAS kernels leak no tensors", async () => {
  await initBackend("wasm");
  const rng = new Rng(9);
  const x = rng.normal([16, 8]), w = tf.variable(rng.normal([8, 4])), bias = rng.normal([4]);
  const run = () => tf.tidy(() => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: "relu" })))([x, w]);
    tf.sum(tf.matMul(x, w, false, false), 0).dataSync();
    im2col3x3(tf.reshape(x, [2, 2, 4, 8]) as tf.Tensor4D).dataSync();
    tf.grad((t: tf.Tensor) => tf.sum(silu(groupNormNHWC(t as tf.Tensor4D, tf.ones([8]), tf.zeros([8]), 2))))(tf.reshape(x, [2, 2, 4, 8])).dataSync();
    return g[0].dataSync()[0];
  });
  run();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) run();
  assert.equal(tf.memory().numTensors, before);
  const opt = new FusedAdam([w], { lr: 0.1 });
  const step = () => tf.tidy(() => { opt.apply([tf.onesLike(w)], 1); });
  step();
  const mid = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, mid);
  opt.dispose();
  tf.dispose([x, w, bias]);
});

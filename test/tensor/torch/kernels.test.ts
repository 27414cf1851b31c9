/**
 * The torch backend against tfjs's reference cpu backend, kernel by kernel: the same inputs on both, outputs
 * (and gradients, which reach the backprop kernels) equal within float32 rounding. Integer and boolean results
 * must match exactly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { activateTorch } from "../../../src/tensor/torch";
import { Rng } from "../../../src/tensor";
import { veSDE, vpSDE } from "../../../src/sde";
import { mlpScoreNet, trainScore, unetScoreNet } from "../../../src/score";
import { ddim, eulerMaruyama, logLikelihood, predictorCorrector, probabilityFlowHeun } from "../../../src/sample";
import { energyDistance, mmd2, nearestNeighbours, slicedWasserstein } from "../../../src/metrics";
import { I, T } from "./values";

type Case = () => tf.Tensor | tf.Tensor[];

const grad = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), T(f(x).shape, 99))))(x);

const CASES: Record<string, Case> = {
  unary: () => {
    const x = T([3, 5], 1, -0.9, 0.9), p = T([3, 5], 2, 0.1, 3), big = T([3, 5], 3, 1.1, 4);
    return [tf.abs(x), tf.acos(x), tf.asin(x), tf.atan(x), tf.atanh(x), tf.acosh(big), tf.asinh(x), tf.ceil(x), tf.floor(x),
      tf.cos(x), tf.cosh(x), tf.sin(x), tf.sinh(x), tf.tan(x), tf.tanh(x), tf.erf(x), tf.exp(x), tf.expm1(x), tf.log(p),
      tf.log1p(p), tf.neg(x), tf.reciprocal(p), tf.relu(x), tf.relu6(tf.mul(x, 10)), tf.round(tf.mul(x, 3)), tf.rsqrt(p),
      tf.selu(x), tf.sigmoid(x), tf.sign(x), tf.softplus(x), tf.sqrt(p), tf.square(x), tf.elu(x), tf.leakyRelu(x, 0.3),
      tf.clipByValue(x, -0.5, 0.25), tf.step(x, 0.5), tf.isNaN(tf.div(x, tf.sub(x, x))), tf.isFinite(tf.div(p, tf.sub(x, x))),
      tf.isInf(tf.div(p, tf.sub(x, x))), tf.logicalNot(tf.greater(x, 0)), tf.zerosLike(x), tf.onesLike(x), tf.round(tf.tensor([0.5, 1.5, 2.5, -0.5]))];
  },
  binary: () => {
    const a = T([4, 1, 3], 4), b = T([5, 3], 5), p = T([4, 5, 3], 6, 0.5, 2);
    const ia = I([7, -7, 9, 0, 5, -3]), ib = I([2, 2, -4, 3, -2, 5]);
    return [tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, b), tf.maximum(a, b), tf.minimum(a, b), tf.pow(p, a),
      tf.squaredDifference(a, b), tf.mod(a, b), tf.atan2(a, b), tf.equal(a, a), tf.notEqual(a, b), tf.greater(a, b),
      tf.greaterEqual(a, b), tf.less(a, b), tf.lessEqual(a, b), tf.logicalAnd(tf.greater(a, 0), tf.greater(b, 0)),
      tf.logicalOr(tf.greater(a, 0), tf.greater(b, 0)), tf.logicalXor(tf.greater(a, 0), tf.greater(b, 0)),
      tf.floorDiv(ia, ib), tf.mod(ia, ib), tf.add(ia, ib), tf.mul(ia, ib), tf.div(ia, ib), tf.addN([a, a, tf.mul(a, 2)]),
      tf.prelu(a, tf.tensor([0.1, 0.2, 0.3])), tf.divNoNan(a, tf.sub(b, b)), tf.cast(a, "int32"), tf.cast(tf.cast(a, "int32"), "bool")];
  },
  reductions: () => {
    const x = T([3, 4, 5], 7), b = tf.greater(x, 0);
    return [tf.sum(x), tf.sum(x, 1), tf.sum(x, [0, 2], true), tf.mean(x, -1), tf.max(x, [1]), tf.min(x, 0, true), tf.prod(x, [1, 2]),
      tf.all(b, 1), tf.any(b, [0, 2]), tf.argMax(x, 1), tf.argMin(x, -1), tf.cumsum(x, 1), tf.cumsum(x, 2, true, true),
      tf.cumprod(x, 0, false, true), tf.softmax(x), tf.logSumExp(x, 1), tf.moments(x, [0, 1]).variance, tf.sum(b), tf.sum(I([1, 2, 3]))];
  },
  topk: () => { const r = tf.topk(T([3, 8], 8), 3); return [r.values, r.indices]; },
  products: () => {
    const a = T([6, 4], 9), b = T([4, 5], 10), at = tf.transpose(a), bt = tf.transpose(b), a3 = T([2, 6, 4], 11), b3 = T([1, 4, 3], 12);
    const bias = T([5], 13);
    return [tf.matMul(a, b), tf.matMul(at, b, true), tf.matMul(a, bt, false, true), tf.matMul(at, bt, true, true), tf.matMul(a3, b3),
      tf.fused.matMul({ a, b, bias, activation: "relu" }), tf.fused.matMul({ a: at, b, transposeA: true, bias, activation: "elu" }),
      grad((v) => tf.fused.matMul({ a: v, b, bias, activation: "relu" }), a),
      tf.grad((w: tf.Tensor) => tf.sum(tf.fused.matMul({ a, b: w as tf.Tensor2D, bias, activation: "sigmoid" })))(b),
      tf.einsum("ij,jk->ik", a, b)];
  },
  convolutions: () => {
    const x = T([2, 7, 6, 3], 14) as tf.Tensor4D, f = T([3, 3, 3, 4], 15) as tf.Tensor4D, dw = T([3, 2, 3, 2], 16) as tf.Tensor4D;
    const out: tf.Tensor[] = [];
    for (const [s, pad, d] of [[1, "same", 1], [2, "same", 1], [1, "valid", 2], [2, "valid", 1]] as [number, "same" | "valid", number][]) {
      out.push(tf.conv2d(x, f, s, pad, "NHWC", d));
      out.push(tf.depthwiseConv2d(x, dw, s, pad, "NHWC", d));
      // tfjs has no gradient for dilated convolutions: those run forward only.
      if (d > 1) continue;
      out.push(grad((v) => tf.conv2d(v as tf.Tensor4D, f, s, pad, "NHWC", d), x));
      out.push(grad((w) => tf.conv2d(x, w as tf.Tensor4D, s, pad, "NHWC", d), f));
      out.push(grad((v) => tf.depthwiseConv2d(v as tf.Tensor4D, dw, s, pad, "NHWC", d), x));
      out.push(grad((w) => tf.depthwiseConv2d(x, w as tf.Tensor4D, s, pad, "NHWC", d), dw));
    }
    const bias = T([4], 17);
    out.push(tf.fused.conv2d({ x, filter: f, strides: 1, pad: "same", bias, activation: "relu" }));
    out.push(grad((v) => tf.fused.conv2d({ x: v as tf.Tensor4D, filter: f, strides: 1, pad: "same", bias, activation: "relu" }), x));
    return out;
  },
  pooling: () => {
    const x = T([2, 7, 6, 3], 18) as tf.Tensor4D;
    const out: tf.Tensor[] = [];
    for (const [k, s, pad] of [[2, 2, "valid"], [3, 2, "same"], [3, 1, "same"], [2, 1, "valid"]] as [number, number, "same" | "valid"][]) {
      out.push(tf.avgPool(x, k, s, pad), grad((v) => tf.avgPool(v as tf.Tensor4D, k, s, pad), x));
      out.push(tf.maxPool(x, k, s, pad), grad((v) => tf.maxPool(v as tf.Tensor4D, k, s, pad), x));
    }
    // tfjs's cpu ResizeNearestNeighborGrad misplaces every batch after the first, so the gradients run on one image
    // here; the batched gradient is checked against its definition in the test below.
    const x1 = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    // With halfPixelCenters tfjs's gradient kernels ignore the flag (not the adjoint of their own forward pass); this
    // backend gives the adjoint, checked by the identity <resize(x), dy> = <x, grad> below.
    for (const [ac, hp] of [[false, false], [true, false], [false, true]]) {
      out.push(tf.image.resizeNearestNeighbor(x, [11, 4], ac, hp), tf.image.resizeNearestNeighbor(x, [5, 9], ac, hp));
      if (hp) continue;
      out.push(grad((v) => tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [14, 12], ac, hp), x1));
      out.push(grad((v) => tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [5, 9], ac, hp), x1));
    }
    out.push(tf.batchNorm(x, T([3], 19), T([3], 20, 0.5, 2), T([3], 21), T([3], 22), 1e-3));
    return out;
  },
  shapes: () => {
    const x = T([3, 4, 5], 23);
    const parts = tf.split(x, [1, 3], 1);
    return [tf.reshape(x, [4, -1]), tf.transpose(x, [2, 0, 1]), tf.concat([x, x], 1), tf.stack([x, x], 3), ...tf.unstack(x, 1), ...parts,
      ...tf.split(x, 5, 2), tf.slice(x, [1, 0, 2], [2, -1, 2]), tf.stridedSlice(x, [0, 3, 4], [3, 0, 0], [1, -1, -2]),
tf.stridedSlice(x, [0, 1], [0, 3], [1, 1], 1, 0, 0, 2, 0),
      tf.tile(x, [1, 2, 3]), tf.pad(x, [[1, 0], [0, 2], [1, 1]], 0.5), tf.mirrorPad(x, [[1, 1], [2, 0], [0, 3]], "reflect"),
      tf.mirrorPad(x, [[1, 2], [0, 3], [3, 0]], "symmetric"), tf.reverse(x, [0, 2]), tf.expandDims(x, 1), tf.squeeze(tf.expandDims(x, -1)),
      tf.gather(x, I([2, 0, 2]), 1), tf.gather(x, I([[1, 0], [2, 2]]), 0), grad((v) => tf.gather(v, I([2, 0, 2, 2]), 1), x),
      tf.gatherND(x, I([[0, 1], [2, 3], [0, 1]])), tf.scatterND(I([[1], [3], [1]]), T([3, 2], 24), [5, 2]),
      tf.where(tf.greater(x, 0), x, tf.neg(x)),
      tf.oneHot(I([0, 3, -1, 2]), 4), tf.fill([2, 3], 1.25), tf.range(0, 7, 1.5), tf.range(5, -3, -2, "int32"), tf.linspace(-1, 2, 7),
      tf.diag(tf.tensor([1, 2, 3])), tf.unsortedSegmentSum(T([5, 2], 25), I([1, 0, 1, 3, 3]) as tf.Tensor1D, 4), tf.clone(x), tf.broadcastTo(T([1, 3], 26), [4, 3])];
  },
};

interface Out { shape: number[]; dtype: string; values: number[] }

function run(c: Case): Out[] {
  return tf.tidy(() => {
    const r = c();
    return (Array.isArray(r) ? r : [r]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) }));
  });
}

async function onBackend(name: string): Promise<Record<string, Out[]>> {
  await tf.setBackend(name);
  const out: Record<string, Out[]> = {};
  for (const [k, c] of Object.entries(CASES)) out[k] = run(c);
  return out;
}

test("every kernel case gives the cpu backend's numbers on torch (float32 rounding; integers and booleans exact)", async () => {
  await activateTorch("cpu");
  const torch = await onBackend("torch");
  const cpu = await onBackend("cpu");
  for (const k of Object.keys(CASES)) {
    assert.equal(torch[k].length, cpu[k].length, `${k}: output count`);
    torch[k].forEach((o, j) => {
      const r = cpu[k][j];
      const where = `${k}[${j}]`;
      assert.deepEqual(o.shape, r.shape, `${where}: shape`);
      assert.equal(o.dtype, r.dtype, `${where}: dtype`);
      o.values.forEach((v, i) => {
        const want = r.values[i];
        if (o.dtype !== "float32") { assert.equal(v, want, `${where}[${i}]`); return; }
        if (Number.isNaN(want) || !Number.isFinite(want)) { assert.ok(Object.is(v, want) || (Number.isNaN(v) && Number.isNaN(want)), `${where}[${i}] ${v} vs ${want}`); return; }
        // Products and reductions sum in other orders on the two backends: a relative float32 tolerance.
        assert.ok(Math.abs(v - want) <= 1e-5 + 2e-5 * Math.abs(want), `${where}[${i}]: torch ${v}, cpu ${want}`);
      });
    });
  }
  await tf.setBackend("torch");
  // tfjs's cpu kernel reads out of range with a shrink-axis mask, so this one is checked against its definition:
  // x[1, 0:4:2, :] is row 1 with columns 0 and 2.
  tf.tidy(() => {
    const x = T([3, 4, 5], 23);
    const got = tf.stridedSlice(x, [1, 0], [3, 4], [1, 2], 0, 0, 0, 0, 1);
    const want = tf.gather(tf.squeeze(tf.slice(x, [1, 0, 0], [1, 4, 5]), [0]), I([0, 2]), 0);
    assert.deepEqual(got.shape, [2, 5]);
    assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
  });
  // Negative segment ids drop their rows entirely, NaN and Infinity included (TensorFlow's rule).
  tf.tidy(() => {
    const x = tf.tensor([[1, 2], [NaN, Infinity], [3, 4]]);
    assert.deepEqual(Array.from(tf.unsortedSegmentSum(x, I([1, -1, 0]) as tf.Tensor1D, 2).dataSync()), [3, 4, 1, 2]);
  });
  // The batched nearest-neighbour gradient is the per-image gradient, image by image.
  tf.tidy(() => {
    const x = T([3, 5, 4, 2], 30) as tf.Tensor4D, dy = T([3, 9, 7, 2], 31);
    const g = (v: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(u as tf.Tensor4D, [9, 7], false, true), w)))(v);
    const all = g(x, dy);
    for (let b = 0; b < 3; b++) {
      const one = g(tf.slice(x, [b, 0, 0, 0], [1, -1, -1, -1]), tf.slice(dy, [b, 0, 0, 0], [1, -1, -1, -1]));
      assert.deepEqual(Array.from(tf.slice(all, [b, 0, 0, 0], [1, -1, -1, -1]).dataSync()), Array.from(one.dataSync()), `image ${b}`);
    }
    for (const size of [[9, 7], [3, 3], [5, 4]] as [number, number][]) {
      const d = T([3, ...size, 2], 32);
      const gx = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(u as tf.Tensor4D, size, false, true), d)))(x);
      const lhs = tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x, size, false, true), d)).dataSync()[0];
      const rhs = tf.sum(tf.mul(x, gx)).dataSync()[0];
      assert.ok(Math.abs(lhs - rhs) <= 1e-4 * (1 + Math.abs(lhs)), `adjoint ${size}: ${lhs} vs ${rhs}`);
    }
  });
});

// Kernel coverage: the library's workloads (training an MLP and a U-Net, every sampler, the likelihood, the metrics)
// run under a recorder on tfjs's reference cpu backend, and every kernel they reach must be registered for torch —
// a missing one would otherwise surface only when a user reaches it. Then the same workloads run on torch.
async function workloads(): Promise<void> {
  const rng = new Rng(0);
  for (const sde of [vpSDE(), veSDE()]) {
    const data = rng.normal([64, 2]);
    const mlp = mlpScoreNet(sde, [2], rng);
    await trainScore(mlp, data, { steps: 3, rng, batchSize: 16, ema: 0.9 });
    const opts = { n: 8, steps: 4, rng, shape: [2] };
    tf.dispose([await eulerMaruyama(mlp.score, sde, opts), await probabilityFlowHeun(mlp.score, sde, opts),
      await predictorCorrector(mlp.score, sde, opts)]);
    if (sde.kind === "vp") tf.dispose(await ddim(mlp.score, sde, opts));
    const x = rng.normal([4, 2]);
    await logLikelihood(mlp.score, sde, x, { steps: 4 });
    await logLikelihood(mlp.score, sde, x, { steps: 4, divergence: "hutchinson", rng });
    tf.dispose([data, x]);
  }
  const images = rng.normal([16, 64]);
  const unet = unetScoreNet(vpSDE(), [8, 8], rng, { channels: 4, groups: 2 });
  await trainScore(unet, images, { steps: 2, rng, batchSize: 4 });
  tf.dispose(await eulerMaruyama(unet.score, vpSDE(), { n: 2, steps: 2, rng, shape: [64] }));
  const a = rng.normal([32, 3]) as tf.Tensor2D, b = rng.normal([24, 3]) as tf.Tensor2D;
  mmd2(a, b); energyDistance(a, b); slicedWasserstein(a, b, { rng, projections: 8 }); nearestNeighbours(a, b, { k: 2 });
  tf.dispose([images, a, b]);
}

test("every kernel the library's workloads reach on the reference backend is registered for torch, and they run there", async () => {
  await activateTorch("cpu");
  await tf.setBackend("cpu");
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const original = engine.runKernel;
  const reached = new Set<string>();
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) { reached.add(name); return original.call(this, name, ...rest); };
  try { await workloads(); } finally { engine.runKernel = original; }
  assert.ok(reached.size > 30, `the recorder saw only ${reached.size} kernels`);
  const missing = [...reached].filter((k) => !tf.getKernel(k, "torch")).sort();
  assert.deepEqual(missing, [], `kernels with no torch implementation: ${missing.join(", ")}`);
  await tf.setBackend("torch");
  const before = tf.memory().numTensors;
  await workloads();
  assert.equal(tf.getBackend(), "torch");
  assert.ok(tf.memory().numTensors - before < 200, "the workloads' models hold their variables; nothing else should stay");
});

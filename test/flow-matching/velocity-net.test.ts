import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import type { Network } from "../../src/score";
import { otPath } from "../../src/flow-matching/path";
import { VelocityNet, flowMatchingLoss, mlpVelocityNet } from "../../src/flow-matching/velocity-net";

/** A network that returns its input: the velocity model's output is then c_in x, a closed form. */
const identityNet = (d: number): Network => ({
  config: { shape: [d] } as Network["config"], names: [], variables: [], inputSize: d,
  apply: (x) => tf.clone(x), dispose() {},
});

test("VelocityNet scales its input by c_in = 1 / sqrt(a^2 sigma_data^2 + s^2) before the network", async () => {
  await initBackend();
  const path = otPath();
  const model = new VelocityNet(path, identityNet(2), { sigmaData: 0.5 });
  const x = tf.tensor2d([[1, -2], [3, 0.5], [-1, 4]]), ts = [0.1, 0.5, 0.9];
  const v = model.velocity(x, tf.tensor1d(ts)).arraySync() as number[][];
  const rows = x.arraySync();
  ts.forEach((t, i) => {
    const { scale: a, std: s } = path.coefficientsAt(t);
    const cin = 1 / Math.sqrt(a * a * 0.25 + s * s);
    // One float32 rsqrt and product on O(1) values: 1e-6 absolute.
    rows[i].forEach((xi, j) => assert.ok(Math.abs(v[i][j] - cin * xi) < 1e-6, `row ${i} col ${j}: ${v[i][j]} vs ${cin * xi}`));
  });
  x.dispose();
});

test("flowMatchingLoss of a net whose output layer starts at zero is the mean square of the target a' x_0 + s' eps", async () => {
  await initBackend();
  const rng = new Rng(3);
  const model = mlpVelocityNet(otPath(), [2], rng.fork(1), { width: 8, depth: 1 });
  const x0 = rng.normal([6, 2]), eps = rng.normal([6, 2]), t = rng.uniform([6], 0.05, 0.95);
  // On the OT path a' = -1 and s' = 1, so the target is eps - x_0 whatever t is.
  const want = tf.mean(tf.square(tf.sub(eps, x0))).dataSync()[0];
  const got = flowMatchingLoss(model, x0, t, eps).dataSync()[0];
  // The network outputs exact zeros, so both sides are the same float32 mean: 1e-6 relative.
  assert.ok(Math.abs(got - want) < 1e-6 * Math.max(1, want), `${got} vs ${want}`);
  tf.dispose([x0, eps, t]);
  model.dispose();
});

test("the EMA weights are a copy taken at resetEma; useEma picks them for velocity", async () => {
  await initBackend();
  const rng = new Rng(4);
  const model = mlpVelocityNet(otPath(), [2], rng.fork(1), { width: 8, depth: 1 });
  const x = rng.normal([3, 2]), t = tf.fill([3], 0.5);
  model.resetEma();
  const out = model.variables[model.variables.length - 1];
  out.assign(tf.onesLike(out));
  const raw = model.velocityWith(x, t, "raw"), ema = model.velocityWith(x, t, "ema");
  const absMax = (u: tf.Tensor) => tf.max(tf.abs(u)).dataSync()[0];
  assert.equal(absMax(ema), 0, "the EMA copy keeps the zero output layer");
  assert.ok(absMax(raw) > 0, "the raw weights now give a nonzero velocity");
  model.useEma = true;
  assert.equal(absMax(model.velocity(x, t)), 0, "velocity follows useEma");
  tf.dispose([x, t, raw, ema]);
  model.dispose();
  assert.equal(model.ema, null);
});

test("bad VelocityNet input names the function and the argument", async () => {
  await initBackend();
  const rng = new Rng(5);
  const model = mlpVelocityNet(otPath(), [2], rng, { width: 8, depth: 1 });
  const x = tf.zeros([4, 3]), t = tf.zeros([4]);
  assert.throws(() => model.velocity(x, t), /VelocityNet\.velocity: argument 'x' must have shape \[n, 2\], got \[4,3\]/);
  assert.throws(() => model.velocity(tf.zeros([4, 2]), tf.zeros([3])), /VelocityNet\.velocity: argument 't' must have shape \[4\]/);
  assert.throws(() => new VelocityNet(otPath(), {} as never), /VelocityNet: argument 'net' must be a Network/);
  assert.throws(() => new VelocityNet(otPath(), identityNet(2), { sigmaData: 0 }), /VelocityNet: argument 'opts\.sigmaData'/);
  tf.dispose([x, t]);
  model.dispose();
});

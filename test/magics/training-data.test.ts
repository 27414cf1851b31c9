/** What %train_score and %flow_match read from their flags: the data tensor, sample shape, network, seed and width. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { trainingFlags, trainingInput } from "../../src/magics/training-data";
import { NETWORKS } from "../../src/score/network-table";
import { Rng } from "../../src/tensor/rng";
import { MagicError } from "../../src/magics/spec";
import { context } from "./context";
import { initBackend } from "../../src/tensor/backend";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

test("trainingInput: an MLP takes the data as it is, a U-Net takes [1, H, W] images as [H, W] (a new tensor)", () => {
  const points = tf.zeros([5, 2]);
  const images = tf.zeros([3, 1, 4, 4]);
  const { ctx } = context({ points, images: { name: "img", x: images } });
  const a = trainingInput({ data: "points", seed: 3 }, ctx, "train_score");
  assert.equal(a.x, points);
  assert.equal(a.data, points);
  assert.deepEqual([a.dataName, a.shape, a.net, a.width], ["points", [2], "mlp", NETWORKS.mlp.defaultWidth]);
  // --seed gives its own generator: the same draws as Rng(3).
  assert.deepEqual(Array.from(a.rng.normal([3]).dataSync()), Array.from(new Rng(3).normal([3]).dataSync()));
  const u = trainingInput({ data: "images", net: "unet", width: 8 }, ctx, "flow_match");
  assert.deepEqual([u.shape, u.data.shape, u.width], [[4, 4], [3, 4, 4], 8]);
  assert.notEqual(u.data, images);
  tf.dispose([points, images, u.data]);
});

test("trainingInput: without --seed the session's generator is split, so two calls differ", () => {
  const x = tf.zeros([2, 2]);
  const { ctx } = context({ x });
  const r1 = trainingInput({ data: "x" }, ctx, "m").rng.normal([4]).dataSync();
  const r2 = trainingInput({ data: "x" }, ctx, "m").rng.normal([4]).dataSync();
  assert.notDeepEqual(Array.from(r1), Array.from(r2));
  x.dispose();
});

test("trainingInput refuses a rank-1 or empty tensor naming the magic and the flag; the flags list their defaults", () => {
  const flat = tf.zeros([4]);
  const empty = tf.zeros([0, 2]);
  const { ctx } = context({ flat, empty });
  assert.throws(() => trainingInput({ data: "flat" }, ctx, "train_score"), (e: unknown) => e instanceof MagicError && e.message === "%train_score: --data 'flat' must be a tensor [n, ...] with n >= 1, got [4]");
  assert.throws(() => trainingInput({ data: "empty" }, ctx, "train_score"), /got \[0,2\]/);
  assert.throws(() => trainingInput({}, ctx, "flow_match"), /^MagicError: %flow_match: --data is required/);
  const defaults = Object.fromEntries(trainingFlags.map((f) => [f.flags.split(" ")[0], f.default]));
  assert.deepEqual(defaults, { "--data": undefined, "--net": "mlp", "--width": undefined, "--depth": 3, "--steps": 1000, "--batch": 128, "--lr": 1e-3, "--ema": 0.999 });
  tf.dispose([flat, empty]);
});

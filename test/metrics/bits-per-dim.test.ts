import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { dequantize, dequantizedBitsPerDim, imageBitsPerDim } from "../../src/metrics";

test("dequantizedBitsPerDim: the uniform density on the pixel range costs log2(levels) bits per dim", async () => {
  // Uniform on [-1, 1]^d has log p = -d ln 2: 8 bits/dim for 256 levels; on [0, 1]^d with 16 levels, 4.
  const [b] = dequantizedBitsPerDim([-5 * Math.LN2], 5);
  assert.ok(Math.abs(b - 8) < 1e-12);
  const [c] = dequantizedBitsPerDim([0], 3, { levels: 16, range: [0, 1] });
  assert.ok(Math.abs(c - 4) < 1e-12);
  assert.throws(() => dequantizedBitsPerDim([0], 3, { range: [1, 0] }), /dequantizedBitsPerDim: argument 'opts.range' must be \[lo, hi\] with lo < hi/);
});

test("dequantize puts each pixel level k uniformly inside its bin [lo + k w, lo + (k + 1) w)", async () => {
  await initBackend();
  const px = tf.tensor2d([[0, 1, 128, 255]]);
  const y = dequantize(px, new Rng(0)).dataSync();
  const w = 2 / 256;
  [0, 1, 128, 255].forEach((k, i) => assert.equal(Math.floor((y[i] + 1) / w + 1e-6), k, `pixel ${k} -> ${y[i]}`));
  assert.throws(() => dequantize(tf.tensor2d([[0.5]]), new Rng(0)), /dequantize: argument 'pixels' must be integers in \[0, 255\]/);
  assert.throws(() => dequantize(tf.tensor2d([[256]]), new Rng(0)), /dequantize: argument 'pixels' must be integers/);
  assert.throws(() => dequantize(px, undefined as unknown as Rng), /dequantize: argument 'rng' must be an Rng/);
});

/*
 * A Gaussian model in pixel space, its exact score: imageBitsPerDim must equal the closed-form bits of the same
 * dequantized points. The likelihood test's error budget (test/sample/likelihood.test.ts: VP with beta1 = 30,
 * RK4, 100 steps) is 2e-2 nats per sample, i.e. 2e-2 / (d ln 2) = 1e-2 bits/dim at d = 3.
 */
test("imageBitsPerDim of a known density: the closed-form Gaussian log-density at the dequantized pixels", async () => {
  await initBackend();
  const sde = vpSDE({ schedule: linearSchedule({ beta1: 30 }) });
  const d = 3, model = gaussianScore(sde, [0.1, -0.2, 0], 0.3);
  const px = tf.tensor2d([[128, 100, 140], [90, 160, 127], [130, 131, 60], [200, 110, 128]]);
  const res = await imageBitsPerDim(model.score, sde, px, { rng: new Rng(5), steps: 100 });
  const y = dequantize(px, new Rng(5));
  const logp = model.logDensity!(y, tf.fill([4], sde.tMin)).dataSync();
  const want = dequantizedBitsPerDim(logp, d);
  res.bitsPerDim.forEach((b, i) => assert.ok(Math.abs(b - want[i]) < 1e-2, `image ${i}: ${b} vs ${want[i]}`));
  assert.deepEqual([res.n, res.levels, res.range], [4, 256, [-1, 1]]);
  assert.ok(res.stdError > 0);
  await assert.rejects(imageBitsPerDim(model.score, sde, px, {} as never), /imageBitsPerDim: argument 'opts.rng' must be an Rng/);
  tf.dispose([px, y]);
});

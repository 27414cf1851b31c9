// denoiseAt (src/sample/denoiser.ts): Tweedie's formula E[x_0 | x_t] = (x + s^2 grad log p_t(x)) / a.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { veSDE, vpSDE } from "../../src/sde/sde";
import { denoiseAt } from "../../src/sample/denoiser";

test("for x_0 ~ N(m, v) the denoiser is the Gaussian posterior mean m + a v (x - a m) / (a^2 v + s^2)", async () => {
  await initBackend();
  const m = 0.7, v = 0.4;
  for (const sde of [vpSDE(), veSDE()]) {
    for (const t of [0.05, 0.5, 0.9]) {
      const { scale: a, std: s } = sde.marginalAt(t);
      const vt = a * a * v + s * s;
      // The exact score of p_t = N(a m, a^2 v + s^2), written out here.
      const score = (x: tf.Tensor) => tf.div(tf.sub(a * m, x), vt);
      const xs = [-2, 0, 0.3, 5];
      const got = tf.tidy(() => Array.from(denoiseAt(score, sde, tf.tensor2d(xs, [4, 1]), t, "test").dataSync()));
      xs.forEach((x, i) => {
        const want = m + (a * v * (x - a * m)) / vt;
        // float32 arithmetic on O(1) values (VE: s^2 up to ~2000 divided back out): 1e-4 relative is ~1000 ulps.
        assert.ok(Math.abs(got[i] - want) <= 1e-4 * (1 + Math.abs(want)), `${sde.kind} t=${t} x=${x}: ${got[i]} vs ${want}`);
      });
    }
  }
});

test("the score is called with one t per row, and a score of the wrong shape is an Error naming the sampler", async () => {
  await initBackend();
  const sde = vpSDE();
  let seen: number[] = [];
  const probe = (x: tf.Tensor, t: tf.Tensor) => { seen = Array.from(t.dataSync()); return tf.zerosLike(x); };
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const d = tf.tidy(() => denoiseAt(probe, sde, x, 0.25, "mySampler"));
  assert.deepEqual(seen, [0.25, 0.25, 0.25]);
  // A zero score leaves x / a: the mean of x_0 given x_t when nothing is known about x_0 beyond the scale.
  const a = sde.marginalAt(0.25).scale;
  Array.from(d.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - (i + 1) / a) < 1e-5 * (i + 1) / a, `element ${i}`));
  assert.throws(() => tf.tidy(() => denoiseAt((u) => tf.sum(u, 1), sde, x, 0.5, "mySampler")),
    /mySampler: argument 'score' must return a tensor shaped like x \[3,2\], got \[3\]/);
  tf.dispose([x, d]);
});

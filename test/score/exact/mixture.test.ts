import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/tensor";
import { vpSDE } from "../../../src/sde";
import { mixtureScore } from "../../../src/score/exact/mixture";
import { GaussianMixture } from "../../../src/data/gmm";
import { assertNoLeak } from "./helpers";

test("mixtureScore agrees with the responsibilities formula computed by hand (1-D)", async () => {
  await initBackend();
  const gmm = new GaussianMixture({ weights: [0.3, 0.7], means: [[-2], [1.5]], covs: [[[0.25]], [[1]]] });
  const sde = vpSDE();
  const m = mixtureScore(sde, gmm);
  const xs = [-3, -0.5, 0, 2.2], ts = [0.05, 0.3, 0.6, 0.99];
  const s = m.score(tf.tensor2d(xs, [4, 1]), tf.tensor1d(ts)).dataSync();
  xs.forEach((x, i) => {
    const { scale: a, std } = sde.marginalAt(ts[i]);
    const comps = [[0.3, -2, 0.25], [0.7, 1.5, 1]].map(([w, mu, v]) => {
      const vt = a * a * v + std * std;
      return { p: (w / Math.sqrt(2 * Math.PI * vt)) * Math.exp(-((x - a * mu) ** 2) / (2 * vt)), sc: -(x - a * mu) / vt };
    });
    const z = comps[0].p + comps[1].p;
    const want = (comps[0].p * comps[0].sc + comps[1].p * comps[1].sc) / z;
    assert.ok(Math.abs(s[i] - want) < 1e-4 * Math.max(1, Math.abs(want)), `x=${x}: ${s[i]} vs ${want}`);
  });
});

test("bad input to mixtureScore throws errors that name the problem", async () => {
  await initBackend();
  const sde = vpSDE();
  assert.throws(() => mixtureScore(sde, {} as never), /mixtureScore: argument 'gmm'/);
});

test("mixtureScore leaks no tensors across repeated calls", async () => {
  await initBackend();
  const sde = vpSDE();
  const gmm = new GaussianMixture({ weights: [0.5, 0.5], means: [[-1, 0], [1, 0]] });
  assertNoLeak(mixtureScore(sde, gmm));
});

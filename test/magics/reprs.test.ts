import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score";
import { GaussianMixture } from "../../src/data";
import { mimeBundleOf } from "../../src/magics/mime";

test("score models, SDEs, mixtures and tensors show a summary and a table, not their functions and Variables", async () => {
  await initBackend();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 16, depth: 2 });
  const params = model.variables.reduce((n, v) => n + v.size, 0);
  const b = mimeBundleOf(model)!;
  assert.equal(b["text/plain"], `ScoreNet(network: mlp on shape [2], parameters: ${params.toLocaleString("en-US")}, SDE: vp (linear(0.1, 20) schedule, t in [0.001, 1]), weights: raw, backend: ${tf.getBackend()})`);
  assert.match(b["text/html"] as string, /<th[^>]*>parameters<\/th><td[^>]*>[\d,]+<\/td>/);
  assert.doesNotMatch(String(b["text/plain"]), /Variable|function|=>/);
  assert.equal(mimeBundleOf(vpSDE())!["text/plain"], "SDE(kind: vp, schedule: linear(0.1, 20), T: 1, tMin: 0.001)");
  const gm = new GaussianMixture({ weights: [0.5, 0.5], means: [[0, 0], [1, 1]], covs: [1, 0.5] });
  assert.equal(mimeBundleOf(gm)!["text/plain"], "GaussianMixture(components: 2, dimension: 2)");
  const t = tf.tensor([[1, 2], [3, 4]]);
  assert.match(String(mimeBundleOf(t)!["text/plain"]), /^Tensor float32 \[2, 2\] on \S+\n\s*\[\[1, 2\],\n\s*\[3, 4\]\]$/);
  t.dispose();
  assert.equal(mimeBundleOf(t)!["text/plain"], "Tensor float32 [2, 2] (disposed)");
  model.dispose();
});

// imageMetrics (src/metrics/image-report.ts): FD and KID on an extractor's features, with the sizes and the names of
// the reference set and the extractor (Heusel et al. 2017; Binkowski et al. 2018). A stand-in extractor (features =
// the flattened pixels) keeps this test to the report itself; the trained extractor is tested in features.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { Rng } from "../../src/tensor/rng";
import { imageMetrics } from "../../src/metrics/image-report";
import { frechetDistance } from "../../src/metrics/frechet";
import { kid } from "../../src/metrics/kid";
import type { FeatureExtractor } from "../../src/metrics/features";

const flat: FeatureExtractor = {
  name: "flattened pixels", dataset: "digits", size: 2, dim: 4, testAccuracy: 0, cachePath: null,
  features: (images) => tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D,
  logits: () => { throw new Error("unused"); },
  dispose: () => undefined,
};

test("the report is FD and KID of the features, the two sample sizes and both names; features are freed", async () => {
  await initBackend();
  const images = new Rng(1).normal([30, 1, 2, 2], 0.5), reference = new Rng(2).normal([40, 1, 2, 2]);
  const before = tf.memory().numTensors;
  const r = imageMetrics(flat, images, reference, { reference: "40 normal images" });
  assert.equal(tf.memory().numTensors, before, "the features are disposed");
  const fx = tf.reshape(images, [30, 4]) as tf.Tensor2D, fr = tf.reshape(reference, [40, 4]) as tf.Tensor2D;
  // The same functions on the same features: equal numbers.
  assert.equal(r.fd, frechetDistance(fx, fr));
  assert.equal(r.kid, kid(fx, fr).value);
  assert.equal(r.kidStd, 0);
  assert.deepEqual([r.n, r.nReference, r.reference, r.extractor], [30, 40, "40 normal images", "flattened pixels"]);
  // Subsets: the KID options pass through (same Rng seed, same subsets).
  const s = imageMetrics(flat, images, reference, { reference: "ref", kidSubsetSize: 10, kidSubsets: 5, rng: new Rng(3) });
  const k = kid(fx, fr, { subsetSize: 10, subsets: 5, rng: new Rng(3) });
  assert.deepEqual([s.kid, s.kidStd], [k.value, k.std]);
  assert.ok(s.kidStd > 0, "five subsets give a spread");
  tf.dispose([images, reference, fx, fr]);
});

test("a missing extractor or reference name is one Error naming the argument", async () => {
  await initBackend();
  const x = tf.zeros([4, 1, 2, 2]);
  assert.throws(() => imageMetrics({} as FeatureExtractor, x, x, { reference: "r" }), /imageMetrics: argument 'extractor' must be a FeatureExtractor \(await featureExtractor\(\.\.\.\)\)/);
  assert.throws(() => imageMetrics(flat, x, x, { reference: "" }), /imageMetrics: argument 'opts.reference' must name the reference set \(a non-empty string\)/);
  assert.throws(() => imageMetrics(flat, x, x, undefined as never), /imageMetrics: argument 'opts.reference'/);
  x.dispose();
});

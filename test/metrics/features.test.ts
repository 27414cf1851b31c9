import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { loadDataset } from "../../src/data";
import { downsampleImages, featureCacheDir, featureExtractor, imageMetrics } from "../../src/metrics";

test("downsampleImages: 2x2 average pooling keeps the layout", async () => {
  await initBackend();
  const x = tf.tensor4d([[[[1, 3, 0, 0], [5, 7, 0, 4], [1, 1, 2, 2], [1, 1, 2, 2]]]]);
  const y = downsampleImages(x, 2);
  assert.deepEqual(y.shape, [1, 1, 2, 2]);
  assert.deepEqual(Array.from(y.dataSync()), [4, 1, 1, 2]);
  assert.throws(() => downsampleImages(x, 3), /downsampleImages: argument 'factor' must divide the image size 4x4/);
  assert.equal(featureCacheDir({ SCORELAB_CACHE: "/c" }), path.join("/c", "features"));
});

test("featureExtractor(digits): deterministic from its seed, cached on disk, accurate; imageMetrics reports n, reference, extractor", async () => {
  await initBackend();
  const dirA = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-fx-a-")), dirB = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-fx-b-"));
  try {
    const a = await featureExtractor("digits", { cacheDir: dirA, steps: 200 });
    const b = await featureExtractor("digits", { cacheDir: dirB, steps: 200 });
    // Same seed, same backend: the same weights bit for bit.
    assert.equal(fs.readFileSync(a.cachePath!, "utf8"), fs.readFileSync(b.cachePath!, "utf8"));
    assert.ok(a.testAccuracy > 0.85, `test accuracy ${a.testAccuracy}`);
    assert.match(a.name, /mlp-classifier\(digits 8x8, seed 0, 200 steps, .+\): test accuracy 0\.\d{3}/);
    const test = loadDataset("digits", { split: "test" }), train = loadDataset("digits", { split: "train", n: 360, seed: 1 });
    const cached = await featureExtractor("digits", { cacheDir: dirA, steps: 200 });
    assert.deepEqual(Array.from(cached.features(test.x).dataSync()), Array.from(a.features(test.x).dataSync()));
    const f = a.features(test.x);
    assert.deepEqual(f.shape, [test.x.shape[0], 64]);
    f.dispose();
    // Held-out digits against training digits (one law) score far below noise images (another).
    const noise = tf.clipByValue(new Rng(2).normal([360, 1, 8, 8], 0, 0.6), -1, 1);
    const same = imageMetrics(a, train.x, test.x, { reference: "digits test split" });
    const other = imageMetrics(a, noise, test.x, { reference: "digits test split" });
    assert.deepEqual([same.n, same.nReference, same.reference, same.extractor], [360, test.x.shape[0], "digits test split", a.name]);
    assert.ok(other.fd > 5 * same.fd && other.kid > 5 * Math.abs(same.kid), `same ${same.fd}/${same.kid}, noise ${other.fd}/${other.kid}`);
    assert.throws(() => imageMetrics(a, noise, test.x, { reference: "" }), /imageMetrics: argument 'opts.reference' must name the reference set/);
    assert.throws(() => a.features(tf.zeros([2, 1, 4, 4])), /FeatureExtractor.features: argument 'images' must have 8x8 = 64 pixels per row/);
    await assert.rejects(featureExtractor("digits", { size: 14 }), /featureExtractor: argument 'opts.size' must be one of 8 for digits/);
    await assert.rejects(featureExtractor("cifar" as never), /featureExtractor: argument 'dataset' must be "digits" or "fashion-mnist"/);
    // A cache file of the wrong shape is refused, naming the file; an aborted training caches nothing.
    fs.writeFileSync(cached.cachePath!, JSON.stringify({ format: 1, weights: [{ shape: [2], data: [0, 0] }] }));
    await assert.rejects(featureExtractor("digits", { cacheDir: dirA, steps: 200 }), /featureExtractor: argument 'opts.cacheDir' holds '.+', which is not a feature extractor/);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(featureExtractor("digits", { cacheDir: dirB, steps: 201, signal: ac.signal }), /featureExtractor: training stopped by the signal at step 0 of 201; nothing was cached/);
    assert.deepEqual(fs.readdirSync(dirB).filter((f) => f.includes("steps201")), []);
    [a, b, cached].forEach((e) => e.dispose());
    tf.dispose([noise]);
    test.dispose(); train.dispose();
  } finally {
    fs.rmSync(dirA, { recursive: true, force: true }); fs.rmSync(dirB, { recursive: true, force: true });
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { readDigits } from "../../src/data/digits";
import { loadDataset } from "../../src/data/registry";
import { counts } from "./helpers";

test("bundled digits: 1797 images of 8x8, pixels 0..16, the published label counts", async () => {
  await initBackend();
  const set = readDigits();
  assert.equal(set.n, 1797);
  assert.equal(set.height, 8);
  assert.equal(Math.max(...set.images), 16);
  // Counts from the scikit-learn CSV (checked when the file was converted) and its documentation.
  assert.deepEqual(counts(set.labels, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  const ds = loadDataset("digits", { scale: "unit" });
  assert.deepEqual(ds.x.shape, [1797, 1, 8, 8]);
  assert.deepEqual(ds.shape, [1, 8, 8]);
  const v = ds.x.dataSync();
  assert.equal(v[2], 5 / 16, "first image, third pixel is 5 in the source CSV");
  const flat = loadDataset("digits", { flatten: true });
  assert.deepEqual(flat.x.shape, [1797, 64]);
  assert.equal(Math.min(...flat.x.dataSync()), -1);
  const tr = loadDataset("digits", { split: "train" }), te = loadDataset("digits", { split: "test" });
  assert.equal(tr.x.shape[0] + te.x.shape[0], 1797);
  assert.equal(te.x.shape[0], 359);
  [ds, flat, tr, te].forEach((d) => d.dispose());
});

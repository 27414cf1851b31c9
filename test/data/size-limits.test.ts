import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { loadDataset } from "../../src/data";

test("loadDataset refuses a toy n past the one-tensor limit (2^28 elements) before drawing", async () => {
  await initBackend();
  assert.throws(() => loadDataset("moons", { n: 1e12 }), /loadDataset: argument 'n' gives 2000000000000 elements/);
  const ds = loadDataset("moons", { n: 10 });
  assert.deepEqual(ds.x.shape, [10, 2]);
  tf.dispose(ds.x);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend } from "../../src/tensor";
import { readFashionMnist, readMnist } from "../../src/data/mnist";
import { writeIdx } from "../../src/data/idx";
import { loadDataset } from "../../src/data/registry";
import { counts } from "./helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-data-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

test("Fashion-MNIST from the Debian package: 60000 train and 10000 test, balanced classes", async () => {
  await initBackend();
  const train = readFashionMnist();
  assert.equal(train.n, 60000);
  assert.equal(train.height, 28);
  assert.deepEqual(counts(train.labels, 10), new Array(10).fill(6000));
  const test = readFashionMnist({ split: "test" });
  assert.equal(test.n, 10000);
  assert.deepEqual(counts(test.labels, 10), new Array(10).fill(1000));
  const ds = loadDataset("fashion-mnist", { split: "test", classes: [7, 9], n: 50, seed: 3 });
  assert.deepEqual(ds.x.shape, [50, 1, 28, 28]);
  assert.ok(ds.labels!.every((l) => l === 7 || l === 9));
  assert.match(ds.describe(), /fashion-mnist: 50 items of shape \[1,28,28\]; labels Sneaker:\d+ Ankle boot:\d+/);
  ds.dispose();
  assert.throws(() => readFashionMnist({ dir: path.join(dir, "absent") }), /apt-get install dataset-fashion-mnist.*or pass dir/);
  assert.throws(() => loadDataset("mnist:" + path.join(dir, "absent")), /findMnistFiles: '.*absent' does not exist/);
  assert.throws(() => loadDataset("fashion-mnist", { split: "test", n: 10001 }), /loadDataset: argument 'n' is 10001, larger than the 10000 images available/);
});

test("mnist:PATH reads a folder or an images file written by the test; a truncated file is a clear error", () => {
  const imgs = Uint8Array.from({ length: 6 * 4 * 4 }, (_, i) => i % 256);
  writeIdx(path.join(dir, "train-images-idx3-ubyte.gz"), { dtype: "uint8", shape: [6, 4, 4], data: imgs });
  writeIdx(path.join(dir, "train-labels-idx1-ubyte.gz"), { dtype: "uint8", shape: [6], data: Uint8Array.from([0, 1, 2, 0, 1, 2]) });
  const a = readMnist(dir);
  assert.equal(a.n, 6);
  assert.deepEqual(Array.from(a.images), Array.from(imgs));
  const ds = loadDataset(`mnist:${path.join(dir, "train-images-idx3-ubyte.gz")}`, { scale: "raw", classes: [2] });
  assert.deepEqual(ds.x.shape, [2, 1, 4, 4]);
  assert.equal(ds.x.dataSync()[0], 32);
  ds.dispose();
  const bad = path.join(dir, "bad");
  fs.mkdirSync(bad);
  writeIdx(path.join(bad, "t10k-images-idx3-ubyte"), { dtype: "uint8", shape: [6, 4, 4], data: imgs });
  fs.copyFileSync(path.join(dir, "train-labels-idx1-ubyte.gz"), path.join(bad, "t10k-labels-idx1-ubyte"));
  const raw = fs.readFileSync(path.join(bad, "t10k-images-idx3-ubyte"));
  fs.writeFileSync(path.join(bad, "t10k-images-idx3-ubyte"), raw.subarray(0, raw.length - 5));
  assert.throws(() => loadDataset(`mnist:${bad}`, { split: "test" }), /t10k-images-idx3-ubyte' is truncated: shape \[6,4,4\] of uint8 needs 96 data bytes, found 91/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";
import { Rng, initBackend } from "../../src/tensor";
import { readDigits } from "../../src/data/digits";
import { readFashionMnist, readMnist } from "../../src/data/mnist";
import { writeIdx } from "../../src/data/idx";
import { listDatasets, loadDataset } from "../../src/data/registry";
import { tableToTensor } from "../../src/data/table";
import { filterClasses, flattenImages, pixelsToSymmetric, subsample, symmetricToPixels, trainTestSplit, unflattenImages } from "../../src/data/transforms";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-data-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

function counts(labels: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

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

test("Fashion-MNIST from the Debian package: 60000 train and 10000 test, balanced classes", () => {
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

test("registry: every toy by name, the exact GMM for mixtures, unknown names list the known ones", () => {
  for (const { name } of listDatasets().filter((d) => !/[:-]|digits/.test(d.name))) {
    const ds = loadDataset(name, { n: 64, seed: 2 });
    assert.deepEqual(ds.x.shape, [64, 2], name);
    assert.match(ds.describe(), new RegExp(`^${name}: 64 items of shape \\[2\\]`));
    ds.dispose();
  }
  const g = loadDataset("gmm8", { n: 10, radius: 3 });
  assert.equal(g.gmm!.k, 8);
  assert.equal(g.gmm!.spec.means[0][0], 3);
  g.dispose();
  const m = loadDataset("moons", { n: 100, classes: [1] });
  assert.equal(m.x.shape[0], 50);
  m.dispose();
  assert.throws(() => loadDataset("mnsit"), /loadDataset: argument 'name' 'mnsit' is not a known data set; known: moons, gmm8, grid25, .*digits, fashion-mnist, mnist:PATH, csv:PATH/);
  assert.throws(() => loadDataset("swissroll", { classes: [0] }), /'swissroll' has no labels/);
});

test("csv:PATH and Arrow tables to tensors; a missing column names it", () => {
  const csv = path.join(dir, "t.csv");
  fs.writeFileSync(csv, "a,b,label\n1,2,0\n3,4,1\n5,6,1\n");
  const ds = loadDataset(`csv:${csv}`, { labelColumn: "label" });
  assert.deepEqual(ds.x.arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(Array.from(ds.labels!), [0, 1, 1]);
  ds.dispose();
  const sub = loadDataset(`csv:${csv}`, { columns: ["b"], labelColumn: "label", classes: [1], n: 1, seed: 1 });
  assert.ok([4, 6].includes(sub.x.dataSync()[0]));
  sub.dispose();
  assert.throws(() => loadDataset(`csv:${csv}`, { columns: ["a", "c"] }), /tableToTensor: argument 'columns' names missing column 'c'; the table has 'a', 'b', 'label'/);
  assert.throws(() => loadDataset(`csv:${csv}`, { labelColumn: "y" }), /argument 'labelColumn' names missing column 'y'/);
  assert.throws(() => loadDataset(`csv:${csv}`, { n: 4 }), /argument 'n' is 4, larger than the 3 rows/);
  const arrow = path.join(dir, "t.arrow");
  fs.writeFileSync(arrow, aq.toArrowIPC(aq.fromCSV("p,q\n1.5,2\n-1,0\n")));
  const at = loadDataset(`csv:${arrow}`);
  assert.deepEqual(at.x.arraySync(), [[1.5, 2], [-1, 0]]);
  at.dispose();
  const t = tableToTensor(aq.fromCSV("u,v\n1,x\n"), ["u"]);
  assert.deepEqual(t.arraySync(), [[1]]);
  t.dispose();
  assert.throws(() => tableToTensor(aq.fromCSV("u,v\n1,x\n"), ["v"]), /column 'v' row 0 is "x", not a finite number/);
});

test("transforms: seeded split, subsample, class filter, pixel scaling, flatten", () => {
  const x = tf.tensor2d(Array.from({ length: 20 }, (_, i) => [i, -i]));
  const labels = Int32Array.from({ length: 20 }, (_, i) => i % 4);
  const s1 = trainTestSplit(x, labels, { testFraction: 0.25, rng: new Rng(1) });
  const s2 = trainTestSplit(x, labels, { testFraction: 0.25, rng: new Rng(1) });
  assert.equal(s1.test.x.shape[0], 5);
  assert.deepEqual(s1.test.x.arraySync(), s2.test.x.arraySync());
  const all = [...(s1.train.x.arraySync() as number[][]), ...(s1.test.x.arraySync() as number[][])].map((r) => r[0]).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 20 }, (_, i) => i), "a partition");
  (s1.test.x.arraySync() as number[][]).forEach((r, i) => assert.equal(s1.test.labels![i], r[0] % 4));
  const sub = subsample(x, labels, 7, new Rng(2));
  assert.equal(new Set((sub.x.arraySync() as number[][]).map((r) => r[0])).size, 7, "without replacement");
  assert.throws(() => subsample(x, labels, 21, new Rng(2)), /subsample: argument 'n' is 21, larger than the 20 rows available/);
  const f = filterClasses(x, labels, [3]);
  assert.deepEqual((f.x.arraySync() as number[][]).map((r) => r[0]), [3, 7, 11, 15, 19]);
  assert.throws(() => filterClasses(x, labels, [9]), /selects no rows: labels present are 0, 1, 2, 3/);
  const px = tf.tensor1d([0, 127.5, 255]);
  const sym = pixelsToSymmetric(px);
  assert.deepEqual(Array.from(sym.dataSync()), [-1, 0, 1]);
  const back = symmetricToPixels(tf.tensor1d([-1.5, 0, 1]));
  assert.deepEqual(Array.from(back.dataSync()), [0, 127.5, 255]);
  const img = tf.zeros([3, 1, 8, 8]);
  const fl = flattenImages(img), un = unflattenImages(fl, [1, 8, 8]);
  assert.deepEqual(fl.shape, [3, 64]);
  assert.deepEqual(un.shape, [3, 1, 8, 8]);
  assert.throws(() => unflattenImages(fl, [1, 7, 8]), /unflattenImages: argument 'shape' \[1,7,8\] holds 56 values but rows have 64/);
  tf.dispose([x, s1.train.x, s1.test.x, s2.train.x, s2.test.x, sub.x, f.x, px, sym, back, img, fl, un]);
});

test("loaders and transforms leak no tensors", () => {
  const run = () => {
    const a = loadDataset("gmm8", { n: 32 }), b = loadDataset("moons", { n: 32, classes: [0] }), c = loadDataset("digits", { n: 10 });
    const s = trainTestSplit(c.x, c.labels, { rng: new Rng(0) });
    tf.dispose([a.x, b.x, c.x, s.train.x, s.test.x]);
  };
  run();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) run();
  assert.equal(tf.memory().numTensors, before);
});

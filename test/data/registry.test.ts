import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";
import { Rng, initBackend } from "../../src/tensor";
import { DATASETS, findDataset, listDatasets, loadDataset } from "../../src/data/registry";
import { writeIdx } from "../../src/data/idx";
import { trainTestSplit } from "../../src/data/transforms";

test("loadDataset refuses a toy n past the one-tensor limit (2^28 elements) before drawing", async () => {
  await initBackend();
  assert.throws(() => loadDataset("moons", { n: 1e12 }), /loadDataset: argument 'n' gives 2000000000000 elements/);
  const ds = loadDataset("moons", { n: 10 });
  assert.deepEqual(ds.x.shape, [10, 2]);
  tf.dispose(ds.x);
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scorelab-data-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

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

/** Writes `n` 2x2 uint8 images (image i all pixels i) and labels i % 3 as the MNIST files of `split` in `folder`. */
function writeTinyMnist(folder: string, split: "train" | "test", n: number): void {
  fs.mkdirSync(folder, { recursive: true });
  const prefix = split === "train" ? "train" : "t10k";
  writeIdx(path.join(folder, `${prefix}-images-idx3-ubyte`), { dtype: "uint8", shape: [n, 2, 2], data: Uint8Array.from({ length: 4 * n }, (_, i) => Math.floor(i / 4)) });
  writeIdx(path.join(folder, `${prefix}-labels-idx1-ubyte`), { dtype: "uint8", shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 3) });
}

test("DATASETS: every row loads by its name, and listDatasets lists the rows in order, KEY:PATH for file rows", async () => {
  await initBackend();
  writeTinyMnist(path.join(dir, "tiny"), "test", 5);
  fs.writeFileSync(path.join(dir, "rows.csv"), "a,b\n1,2\n3,4\n");
  // The rows that are not 2-D toys, each with a name and options that load it from files the test wrote (the real
  // Fashion-MNIST is read by test/data/mnist.test.ts); a new row must be added here too.
  const others: Record<string, { name: string; opts: Record<string, unknown>; shape: number[]; n: number }> = {
    digits: { name: "digits", opts: { n: 5 }, shape: [1, 8, 8], n: 5 },
    "fashion-mnist": { name: "fashion-mnist", opts: { dir: path.join(dir, "tiny"), split: "test" }, shape: [1, 2, 2], n: 5 },
    mnist: { name: `mnist:${path.join(dir, "tiny")}`, opts: { split: "test", n: 3 }, shape: [1, 2, 2], n: 3 },
    csv: { name: `csv:${path.join(dir, "rows.csv")}`, opts: {}, shape: [2], n: 2 },
  };
  const keys = Object.keys(DATASETS);
  assert.deepEqual(keys.filter((k) => DATASETS[k].kind !== "points"), Object.keys(others));
  for (const key of keys) {
    const c = others[key] ?? { name: key, opts: { n: 8, seed: 1 }, shape: [2], n: 8 };
    const ds = loadDataset(c.name, c.opts);
    assert.deepEqual(ds.x.shape, [c.n, ...c.shape], key);
    assert.deepEqual(ds.shape, c.shape, key);
    assert.equal(ds.name, c.name);
    ds.dispose();
  }
  assert.deepEqual(listDatasets().map((d) => d.name), ["moons", "gmm8", "grid25", "swissroll", "checkerboard", "circles", "pinwheel", "digits", "fashion-mnist", "mnist:PATH", "csv:PATH"]);
  listDatasets().forEach((d, i) => assert.equal(d.description, DATASETS[keys[i]].description));
});

test("findDataset: a row by its key, or KEY:PATH for file rows; anything else is undefined", () => {
  assert.deepEqual(findDataset("moons"), { key: "moons", spec: DATASETS.moons, path: "" });
  assert.deepEqual(findDataset("csv:runs/a:b.csv"), { key: "csv", spec: DATASETS.csv, path: "runs/a:b.csv" }, "the path keeps later colons");
  assert.equal(findDataset("mnist:")?.path, "", "an empty path reaches the reader, which names the problem");
  for (const name of ["mnist", "csv", "moons:x", ":x", "constructor", "__proto__", "toString", "MOONS"]) assert.equal(findDataset(name), undefined, name);
});

/**
 * Data sets by name, for the `%dataset` magic, the CLI and notebooks: one call returns the tensor, its labels,
 * the shape of one item and, for Gaussian mixtures, the exact distribution. The names are the rows of one table,
 * `DATASETS`, which `loadDataset`, `listDatasets`, %dataset's parser, help and completion and %sdflow's toy names
 * read, so a new data set is its loader plus one row here.
 */
import * as tf from "@tensorflow/tfjs";
import { MAX_TENSOR_ELEMENTS, Rng, checkNumber, checkTensorSize, fail } from "../tensor";
import { GaussianMixture } from "./gmm";
import { ImageSet, PixelScale, filterImageClasses, imageSetToTensor, selectImages, subsampleImages } from "./image-set";
import { readDigits } from "./digits";
import { FASHION_MNIST_DIR, Split, readFashionMnist, readMnist } from "./mnist";
import { readTable, tableToTensor } from "./table";
import { ToySample, checkerboard, circles, gridGaussians, moons, pinwheel, ringGaussians, swissRoll } from "./toys";

export interface Dataset {
  name: string;
  /** All items, [n, ...shape]. The caller owns it (dispose it, or call `dispose()`). */
  x: tf.Tensor;
  labels?: Int32Array;
  /** The shape of one item, e.g. [2] or [1, 28, 28]. */
  shape: number[];
  /** The exact distribution, for the Gaussian-mixture toys. */
  gmm?: GaussianMixture;
  classNames?: string[];
  describe(): string;
  dispose(): void;
}

export interface DatasetOptions {
  /** Number of items: toys draw n points (default 1000); image and table sets subsample n (error if too many). */
  n?: number;
  /** Seed for drawing and subsampling (default 0). */
  seed?: number;
  /** "train" or "test": the files' split for MNIST formats; a fixed 80/20 split (seed 0) of the digits. */
  split?: Split;
  /** Keep only these labels (image sets, or tables with a label column). */
  classes?: number[];
  /** Pixel scaling for images (default "symmetric", [-1, 1]). */
  scale?: PixelScale;
  /** Images as rows [n, h * w] instead of [n, 1, h, w]. */
  flatten?: boolean;
  /** csv: the feature columns (default: every column except labelColumn). */
  columns?: string[];
  /** csv: an integer column to use as labels. */
  labelColumn?: string;
  /** fashion-mnist: folder of the IDX files (default /usr/share/datasets/fashion-mnist). */
  dir?: string;
  /** Toy parameters, passed to the toy's function (noise, std, radius, k, side, spacing, factor, arms, ...). */
  [toyOption: string]: unknown;
}

function makeDataset(name: string, x: tf.Tensor, extra: { labels?: Int32Array; gmm?: GaussianMixture; classNames?: string[] }, note: string): Dataset {
  const shape = x.shape.slice(1);
  return {
    name, x, shape, ...extra,
    describe() {
      const parts = [`${name}: ${x.shape[0]} items of shape [${shape}]`];
      if (extra.labels) {
        const counts = new Map<number, number>();
        for (const l of extra.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
        parts.push(`labels ${[...counts].sort((a, b) => a[0] - b[0]).map(([l, c]) => `${extra.classNames?.[l] ?? l}:${c}`).join(" ")}`);
      }
      if (extra.gmm) parts.push(`exact ${extra.gmm.k}-component Gaussian mixture`);
      if (note) parts.push(note);
      return parts.join("; ");
    },
    dispose() { x.dispose(); },
  };
}

function imageDataset(name: string, set: ImageSet, o: DatasetOptions, rng: Rng, note: string): Dataset {
  const fn = "loadDataset";
  if (o.classes !== undefined) set = filterImageClasses(set, o.classes, fn);
  if (o.n !== undefined) set = subsampleImages(set, o.n, rng, fn);
  const x = imageSetToTensor(set, { scale: o.scale, flatten: o.flatten });
  return makeDataset(name, x, { labels: set.labels, classNames: set.classNames }, `${note}, pixels ${o.scale ?? "symmetric"}`);
}

function digitsSplit(set: ImageSet, split: Split | undefined): ImageSet {
  if (split === undefined) return set;
  // A fixed permutation (seed 0), so train and test never overlap whatever seed draws the subsample.
  const perm = new Rng(0).permutation(set.n);
  const nTest = Math.round(0.2 * set.n);
  return selectImages(set, split === "test" ? perm.subarray(0, nTest) : perm.subarray(nTest));
}

function tableDataset(name: string, path: string, o: DatasetOptions, rng: Rng): Dataset {
  const fn = "loadDataset";
  let table = readTable(path);
  const have = table.columnNames();
  if (o.labelColumn !== undefined && !have.includes(o.labelColumn)) {
    fail(fn, "labelColumn", `names missing column '${o.labelColumn}'; '${path}' has ${have.map((c) => `'${c}'`).join(", ")}`);
  }
  const cols = o.columns ?? have.filter((c) => c !== o.labelColumn);
  let labels: Int32Array | undefined;
  if (o.labelColumn !== undefined) {
    const raw = table.array(o.labelColumn) as ArrayLike<unknown>;
    labels = Int32Array.from({ length: table.numRows() }, (_, i) => {
      const v = Number(raw[i]);
      if (!Number.isInteger(v)) fail(fn, "labelColumn", `column '${o.labelColumn}' row ${i} is ${JSON.stringify(raw[i])}, not an integer label`);
      return v;
    });
  }
  let idx: Int32Array | undefined;
  if (o.classes !== undefined) {
    if (!labels) fail(fn, "classes", "needs labelColumn for a table");
    const want = new Set(o.classes);
    idx = Int32Array.from(Array.from(labels!.keys()).filter((i) => want.has(labels![i])));
    if (idx.length === 0) fail(fn, "classes", `selects no rows of '${path}'`);
  }
  const rows = idx ? idx.length : table.numRows();
  if (o.n !== undefined) {
    checkNumber(o.n, "n", fn, { integer: true, min: 1 });
    if (o.n > rows) fail(fn, "n", `is ${o.n}, larger than the ${rows} rows available in '${path}'`);
    const pick = rng.permutation(rows).subarray(0, o.n);
    idx = Int32Array.from(pick, (p) => (idx ? idx[p] : p));
  }
  if (idx) {
    const keep = idx;
    table = table.reify(Array.from(keep)) as typeof table;
    if (labels) labels = Int32Array.from(keep, (i) => labels![i]);
  }
  const x = tableToTensor(table, cols);
  return makeDataset(name, x, labels ? { labels } : {}, `columns ${cols.join(", ")}`);
}

type Toy = (n: number, rng: Rng, opts: Record<string, unknown>) => ToySample;

/** What `loadDataset` hands a row: the path after "NAME:" for rows that take one (else ""), the options, the seed. */
export interface DatasetRequest { name: string; path: string; opts: DatasetOptions; rng: Rng; seed: number }

export interface DatasetSpec {
  /** One line for help and `listDatasets`. */
  description: string;
  /** "points": a 2-D point cloud drawn fresh for each seed (the toys); "images": pixels [n, 1, h, w]; "table": rows of a file. */
  kind: "points" | "images" | "table";
  /** The name is `KEY:PATH` (the row's key, a colon, a path): files the user points at. */
  takesPath?: boolean;
  load(req: DatasetRequest): Dataset;
}

function toyRow(make: Toy, description: string): DatasetSpec {
  return { description, kind: "points", load: ({ name, opts, rng, seed }) => loadToy(name, make, opts, rng, seed) };
}

function loadToy(name: string, make: Toy, opts: DatasetOptions, rng: Rng, seed: number): Dataset {
  const fn = "loadDataset";
  const n = checkNumber(opts.n ?? 1000, "n", fn, { integer: true, min: 1 });
  // Toys are 2-D: refuse before drawing n x 2 numbers past the one-tensor limit of the wasm heap.
  checkTensorSize(2 * n, "n", fn, MAX_TENSOR_ELEMENTS, `elements (${n} x 2)`);
  const { n: _n, seed: _s, split: _sp, classes, scale: _sc, flatten: _f, columns: _c, labelColumn: _l, dir: _d, ...toyOpts } = opts;
  const s = make(n, rng, toyOpts);
  let ds: { x: tf.Tensor; labels?: Int32Array } = s;
  if (classes !== undefined) {
    if (!s.labels) { s.x.dispose(); fail(fn, "classes", `'${name}' has no labels`); }
    const want = new Set(classes as number[]);
    const keep = Array.from(s.labels.keys()).filter((i) => want.has(s.labels![i]));
    if (keep.length === 0) { s.x.dispose(); fail(fn, "classes", `select no points of '${name}'`); }
    ds = { x: tf.tidy(() => tf.gather(s.x, keep)), labels: Int32Array.from(keep, (i) => s.labels![i]) };
    s.x.dispose();
  }
  return makeDataset(name, ds.x, { labels: ds.labels, gmm: s.gmm }, `seed ${seed}`);
}

/** The data sets by name, in the order help lists them. */
export const DATASETS: Record<string, DatasetSpec> = {
  moons: toyRow(moons, "two interleaving half circles, 2-D, labels 0/1 (noise)"),
  gmm8: toyRow((n, rng, o) => ringGaussians(n, rng, { k: 8, ...o }), "8 Gaussians on a ring of radius 2, std 0.2, exact GMM (k, radius, std)"),
  grid25: toyRow((n, rng, o) => gridGaussians(n, rng, { side: 5, ...o }), "25 Gaussians on a 5x5 grid, spacing 1, std 0.1, exact GMM (side, spacing, std)"),
  swissroll: toyRow(swissRoll, "2-D Swiss roll (noise)"),
  checkerboard: toyRow(checkerboard, "uniform on the dark squares of a 4x4 board on [-2, 2]^2 (side)"),
  circles: toyRow(circles, "two concentric circles, labels 0/1 (factor, noise)"),
  pinwheel: toyRow(pinwheel, "pinwheel with 5 arms, labels = arm (arms, radialStd, tangentialStd, rate)"),
  digits: {
    description: "1,797 8x8 handwritten digits (bundled, UCI/scikit-learn), labels 0..9", kind: "images",
    load: ({ name, opts, rng }) => imageDataset(name, digitsSplit(readDigits(), opts.split), opts, rng, `bundled UCI digits${opts.split ? `, ${opts.split} split` : ""}`),
  },
  "fashion-mnist": {
    description: `70,000 28x28 Fashion-MNIST images (split train 60k / test 10k) from ${FASHION_MNIST_DIR}`, kind: "images",
    load: ({ name, opts, rng }) => {
      const split = opts.split ?? "train";
      return imageDataset(name, readFashionMnist({ dir: opts.dir as string | undefined, split }), opts, rng, `${split} split`);
    },
  },
  mnist: {
    description: "MNIST-format IDX files: a folder (train-/t10k-images-idx3-ubyte[.gz]) or an images file", kind: "images", takesPath: true,
    load: ({ name, path, opts, rng }) => {
      const split = opts.split ?? "train";
      return imageDataset(name, readMnist(path, split), opts, rng, `${split} split`);
    },
  },
  csv: {
    description: "a CSV or Arrow (.arrow/.feather) table (columns, labelColumn)", kind: "table", takesPath: true,
    load: ({ name, path, opts, rng }) => tableDataset(name, path, opts, rng),
  },
};

/** The name a row is called by: its key, or `KEY:PATH` for rows that take a path. */
const shownName = (key: string): string => (DATASETS[key].takesPath ? `${key}:PATH` : key);

/**
 * The row a data set name selects and the path after its colon ("" for rows without one); undefined for an unknown
 * name. Own keys only: "__proto__" or "constructor" are unknown names, not Object.prototype members.
 * @example findDataset("csv:runs.csv") // { key: "csv", spec: DATASETS.csv, path: "runs.csv" }
 */
export function findDataset(name: string): { key: string; spec: DatasetSpec; path: string } | undefined {
  const own = (k: string) => Object.prototype.hasOwnProperty.call(DATASETS, k);
  if (own(name) && !DATASETS[name].takesPath) return { key: name, spec: DATASETS[name], path: "" };
  const colon = name.indexOf(":");
  const key = name.slice(0, colon);
  if (colon > 0 && own(key) && DATASETS[key].takesPath) return { key, spec: DATASETS[key], path: name.slice(colon + 1) };
  return undefined;
}

/**
 * Names and one-line descriptions of the known data sets, for help text.
 * @example listDatasets().map((d) => d.name) // ["moons", "gmm8", ...]
 */
export function listDatasets(): { name: string; description: string }[] {
  return Object.keys(DATASETS).map((key) => ({ name: shownName(key), description: DATASETS[key].description }));
}

/**
 * A data set by name: a toy (`moons`, `gmm8`, `grid25`, `swissroll`, `checkerboard`, `circles`, `pinwheel`),
 * `digits`, `fashion-mnist`, `mnist:PATH` or `csv:PATH`: a row of `DATASETS`. See `listDatasets()`.
 * @example
 * const ds = loadDataset("gmm8", { n: 2000, seed: 1 }); // ds.gmm.score(x, a, s) is the exact score
 * const img = loadDataset("fashion-mnist", { split: "test", classes: [7, 9], n: 500 }); // img.x [500, 1, 28, 28]
 */
export function loadDataset(name: string, opts: DatasetOptions = {}): Dataset {
  const fn = "loadDataset";
  if (typeof name !== "string" || name === "") fail(fn, "name", `must be a data set name: ${listDatasets().map((d) => d.name).join(", ")}`);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const seed = checkNumber(opts.seed ?? 0, "seed", fn, { integer: true });
  if (opts.split !== undefined && opts.split !== "train" && opts.split !== "test") fail(fn, "split", `must be "train" or "test", got ${String(opts.split)}`);
  const found = findDataset(name);
  if (!found) return fail(fn, "name", `'${name}' is not a known data set; known: ${listDatasets().map((d) => d.name).join(", ")}`);
  return found.spec.load({ name, path: found.path, opts, rng: new Rng(seed), seed });
}

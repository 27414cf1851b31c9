/**
 * A feature extractor for image metrics: a small classifier (an MLP, pixels -> 128 -> 64 -> classes, ReLU) trained
 * by cross-entropy on the bundled digits (8x8) or Fashion-MNIST (28x28, or average-pooled to 14x14 / 7x7), whose
 * 64-d penultimate activations play the role Inception-v3's pool features play in FID and KID (Heusel et al. 2017;
 * Binkowski et al. 2018). Training is deterministic from its seed on a given backend (weights from the seeded Rng,
 * batches from it, the one trainer), and the weights are cached on disk as JSON:
 * `$SCORELAB_CACHE/features/` (default `~/.cache/scorelab/features/`), one file per data set, size, seed, steps and
 * backend. Scores from different extractors are not comparable: every report names the one used.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Rng, backendInfo, checkNumber, checkTensor, checkFiniteTensor, fail, type LongWorkOptions } from "../tensor";
import { loadDataset } from "../data/registry";
import { runTrainer } from "../train/trainer";

export type FeatureDataset = "digits" | "fashion-mnist";

export interface FeatureExtractorOptions extends LongWorkOptions {
  /** Image side the classifier reads: digits 8; Fashion-MNIST 28 (default), 14 or 7 (2x2 / 4x4 average pooling). */
  size?: number;
  /** Seed of the weights and batches (default 0). */
  seed?: number;
  /** Adam steps of batch 256 (default 1500 for Fashion-MNIST, 400 for digits). */
  steps?: number;
  /** Cache folder (default `$SCORELAB_CACHE/features` or `~/.cache/scorelab/features`); `false` neither reads nor writes. */
  cacheDir?: string | false;
  /** fashion-mnist: folder of the IDX files (default the Debian package's). */
  dir?: string;
}

/** The features of a trained classifier, and what it is. */
export interface FeatureExtractor {
  /** e.g. "mlp-classifier(fashion-mnist 14x14, seed 0, 1500 steps, torch): test accuracy 0.86". */
  name: string;
  dataset: FeatureDataset;
  size: number;
  /** Feature dimension (64). */
  dim: number;
  /** Accuracy on the data set's test split. */
  testAccuracy: number;
  /** Where the weights were cached (null when not cached). */
  cachePath: string | null;
  /** Features [n, dim] of images [n, ...] with size x size pixels per row, pixels in [-1, 1] (loadDataset's default). */
  features(images: tf.Tensor): tf.Tensor2D;
  /** Class logits [n, classes]. */
  logits(images: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}

const HIDDEN = [128, 64];
const CLASSES = 10;
const FORMAT = 1;

/** The default cache folder of feature extractors. */
export function featureCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.SCORELAB_CACHE || path.join(os.homedir(), ".cache", "scorelab"), "features");
}

/**
 * Average-pools one-channel images [n, 1, h, w] or [n, h, w] by `factor` (h and w divisible by it), keeping the
 * input's layout; pixel range is preserved. Used to bring Fashion-MNIST to 14x14 for CPU training.
 * @example downsampleImages(x28, 2) // [n, 1, 14, 14]
 */
export function downsampleImages(x: tf.Tensor, factor: number): tf.Tensor {
  const fn = "downsampleImages";
  checkTensor(x, "x", fn);
  checkNumber(factor, "factor", fn, { integer: true, min: 1 });
  const chan = x.rank === 4;
  if (!(x.rank === 3 || (chan && x.shape[1] === 1))) fail(fn, "x", `must be images [n, 1, h, w] or [n, h, w], got [${x.shape}]`);
  const [h, w] = x.shape.slice(-2);
  if (h % factor !== 0 || w % factor !== 0) fail(fn, "factor", `must divide the image size ${h}x${w}, got ${factor}`);
  return tf.tidy(() => {
    const n = x.shape[0];
    const nhwc = tf.reshape(x, [n, h, w, 1]) as tf.Tensor4D;
    const pooled = factor === 1 ? nhwc : tf.avgPool(nhwc, factor, factor, "valid");
    return tf.reshape(pooled, chan ? [n, 1, h / factor, w / factor] : [n, h / factor, w / factor]);
  });
}

function loadImages(dataset: FeatureDataset, size: number, split: "train" | "test", dir?: string): { x: tf.Tensor2D; labels: Int32Array } {
  const ds = loadDataset(dataset, { split, ...(dir ? { dir } : {}) });
  const side = ds.shape[ds.shape.length - 1];
  const small = downsampleImages(ds.x, side / size);
  ds.dispose();
  const x = tf.reshape(small, [small.shape[0], size * size]) as tf.Tensor2D;
  small.dispose();
  return { x, labels: ds.labels! };
}

class MlpFeatures {
  constructor(readonly w: tf.Variable[]) {}
  features(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    for (let l = 0; l < HIDDEN.length; l++) h = tf.relu(tf.add(tf.matMul(h, this.w[2 * l]), this.w[2 * l + 1])) as tf.Tensor2D;
    return h;
  }
  logits(x: tf.Tensor2D): tf.Tensor2D {
    const k = 2 * HIDDEN.length;
    return tf.add(tf.matMul(this.features(x), this.w[k]), this.w[k + 1]) as tf.Tensor2D;
  }
}

function initWeights(inputs: number, rng: Rng): tf.Variable[] {
  const sizes = [inputs, ...HIDDEN, CLASSES];
  const out: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    // He initialisation for ReLU layers (He et al. 2015).
    const std = Math.sqrt(2 / sizes[l]);
    out.push(tf.variable(tf.tensor2d(rng.normalArray(sizes[l] * sizes[l + 1]).map((v) => v * std), [sizes[l], sizes[l + 1]])));
    out.push(tf.variable(tf.zeros([sizes[l + 1]])));
  }
  return out;
}

function accuracy(net: MlpFeatures, x: tf.Tensor2D, labels: Int32Array): number {
  const pred = tf.tidy(() => tf.argMax(net.logits(x), 1));
  const p = pred.dataSync();
  pred.dispose();
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) ok++;
  return ok / labels.length;
}

function cacheFile(dir: string, dataset: string, size: number, seed: number, steps: number, dataDir?: string): string {
  // Another IDX folder is another data set: its extractor gets its own file.
  const from = dataDir ? `-${path.resolve(dataDir).replace(/[^A-Za-z0-9]+/g, "_")}` : "";
  return path.join(dir, `${dataset}${from}-${size}px-seed${seed}-steps${steps}-${backendInfo().name}.json`);
}

function expectedShapes(inputs: number): number[][] {
  const sizes = [inputs, ...HIDDEN, CLASSES];
  return sizes.slice(1).flatMap((m, l) => [[sizes[l], m], [m]]);
}

/**
 * The feature extractor of a data set: loaded from the cache when trained before with the same settings on the
 * same backend, otherwise trained deterministically (seeded init and batches, Adam lr 1e-3, batch 256) and cached.
 * Abort stops training and throws; nothing is cached then.
 * @example const fx = await featureExtractor("fashion-mnist", { size: 14 }); fx.name // "mlp-classifier(...)"
 */
export async function featureExtractor(dataset: FeatureDataset, opts: FeatureExtractorOptions = {}): Promise<FeatureExtractor> {
  const fn = "featureExtractor";
  if (dataset !== "digits" && dataset !== "fashion-mnist") fail(fn, "dataset", `must be "digits" or "fashion-mnist", got ${JSON.stringify(dataset)}`);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const sizes = dataset === "digits" ? [8] : [28, 14, 7];
  const size = opts.size ?? sizes[0];
  if (!sizes.includes(size)) fail(fn, "opts.size", `must be one of ${sizes.join(", ")} for ${dataset}, got ${String(opts.size)}`);
  const seed = checkNumber(opts.seed ?? 0, "opts.seed", fn, { integer: true });
  const steps = checkNumber(opts.steps ?? (dataset === "digits" ? 400 : 1500), "opts.steps", fn, { integer: true, min: 1 });
  if (opts.cacheDir !== undefined && opts.cacheDir !== false && (typeof opts.cacheDir !== "string" || opts.cacheDir === "")) fail(fn, "opts.cacheDir", "must be a folder path or false");
  const dir = opts.cacheDir === false ? null : opts.cacheDir ?? featureCacheDir();
  if (opts.dir !== undefined && (typeof opts.dir !== "string" || opts.dir === "")) fail(fn, "opts.dir", "must be a folder of IDX files");
  const file = dir ? cacheFile(dir, dataset, size, seed, steps, opts.dir) : null;
  const backend = backendInfo().name;
  let weights: tf.Variable[];
  let testAccuracy: number;
  if (file && fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { format: number; testAccuracy: number; weights: { shape: number[]; data: number[] }[] };
    const want = expectedShapes(size * size);
    const fits = saved.format === FORMAT && Array.isArray(saved.weights) && saved.weights.length === want.length &&
      saved.weights.every((w, i) => JSON.stringify(w.shape) === JSON.stringify(want[i]) && Array.isArray(w.data) && w.data.length === want[i].reduce((a, b) => a * b, 1));
    if (!fits) fail(fn, "opts.cacheDir", `holds '${file}', which is not a feature extractor of this format and size; delete it to retrain`);
    weights = saved.weights.map((w) => tf.variable(tf.tensor(w.data, w.shape, "float32")));
    testAccuracy = saved.testAccuracy;
  } else {
    const rng = new Rng(seed);
    const train = loadImages(dataset, size, "train", opts.dir);
    weights = initWeights(size * size, rng);
    const net = new MlpFeatures(weights);
    const onehot = tf.oneHot(tf.tensor1d(train.labels, "int32"), CLASSES);
    const n = train.labels.length, batch = Math.min(256, n);
    let perm = rng.permutation(n), at = 0;
    try {
      const res = await runTrainer({
        fn, variables: weights, steps, lr: 1e-3, signal: opts.signal, onStep: opts.onStep,
        batch: () => {
          if (at + batch > n) { perm = rng.permutation(n); at = 0; }
          const idx = tf.tensor1d(perm.subarray(at, at + batch), "int32");
          at += batch;
          const xb = tf.gather(train.x, idx) as tf.Tensor2D, yb = tf.gather(onehot, idx);
          return () => tf.losses.softmaxCrossEntropy(yb, net.logits(xb)) as tf.Scalar;
        },
      });
      if (res.stopped) { weights.forEach((w) => w.dispose()); throw new Error(`${fn}: training stopped by the signal at step ${res.steps} of ${steps}; nothing was cached`); }
    } finally { train.x.dispose(); onehot.dispose(); }
    const test = loadImages(dataset, size, "test", opts.dir);
    testAccuracy = accuracy(net, test.x, test.labels);
    test.x.dispose();
    if (file) {
      fs.mkdirSync(dir!, { recursive: true });
      const body = { format: FORMAT, dataset, size, seed, steps, backend, testAccuracy, weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.dataSync()) })) };
      // Write then rename: a reader never sees half a file.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(body));
      fs.renameSync(`${file}.tmp`, file);
    }
  }
  const net = new MlpFeatures(weights);
  const rows = (images: tf.Tensor, name: string): tf.Tensor2D => {
    checkTensor(images, "images", name);
    const per = images.shape.slice(1).reduce((a, b) => a * b, 1);
    if (images.rank < 2 || per !== size * size) fail(name, "images", `must have ${size}x${size} = ${size * size} pixels per row (the extractor's size), got [${images.shape}]`);
    checkFiniteTensor(images, "images", name);
    return tf.reshape(images, [images.shape[0], per]) as tf.Tensor2D;
  };
  const name = `mlp-classifier(${dataset} ${size}x${size}, seed ${seed}, ${steps} steps, ${backend}): test accuracy ${testAccuracy.toFixed(3)}`;
  return {
    name, dataset, size, dim: HIDDEN[HIDDEN.length - 1], testAccuracy, cachePath: file,
    features: (images) => tf.tidy(() => net.features(rows(images, "FeatureExtractor.features"))),
    logits: (images) => tf.tidy(() => net.logits(rows(images, "FeatureExtractor.logits"))),
    dispose: () => weights.forEach((w) => w.dispose()),
  };
}

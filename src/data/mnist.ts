/**
 * MNIST-format image sets (MNIST, Fashion-MNIST, EMNIST, KMNIST): a pair of IDX files, images [n, h, w] uint8 and
 * labels [n] uint8. Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747; MIT licence) comes from the
 * Debian package dataset-fashion-mnist.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fail } from "../tensor";
import { readIdx } from "./idx";
import { ImageSet } from "./image-set";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

export type Split = "train" | "test";

/**
 * Reads an images file and its labels file and checks that they agree.
 * @example const set = readMnistPair("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
 */
export function readMnistPair(imagesPath: string, labelsPath: string): ImageSet {
  const fn = "readMnistPair";
  const img = readIdx(imagesPath);
  const lab = readIdx(labelsPath);
  if (img.dtype !== "uint8" || img.shape.length !== 3) fail(fn, "imagesPath", `'${imagesPath}' must hold uint8 images [n, h, w], got ${img.dtype} [${img.shape}]`);
  if (lab.dtype !== "uint8" || lab.shape.length !== 1) fail(fn, "labelsPath", `'${labelsPath}' must hold uint8 labels [n], got ${lab.dtype} [${lab.shape}]`);
  if (lab.shape[0] !== img.shape[0]) fail(fn, "labelsPath", `'${labelsPath}' has ${lab.shape[0]} labels but '${imagesPath}' has ${img.shape[0]} images`);
  return { images: img.data as Uint8Array, labels: Int32Array.from(lab.data), n: img.shape[0], height: img.shape[1], width: img.shape[2], maxValue: 255 };
}

const PREFIX: Record<Split, string> = { train: "train", test: "t10k" };

/**
 * The images and labels files for a split: `where` is a folder holding `train-images-idx3-ubyte[.gz]` /
 * `t10k-images-idx3-ubyte[.gz]` (or MNIST's `train-images.idx3-ubyte` spelling), or an images file itself, whose
 * labels file is found by the same name with "images"/"idx3" replaced by "labels"/"idx1".
 * @example const { images, labels } = findMnistFiles("/data/mnist", "test");
 */
export function findMnistFiles(where: string, split: Split = "train"): { images: string; labels: string } {
  const fn = "findMnistFiles";
  if (typeof where !== "string" || where === "") fail(fn, "where", "must be a folder or an images file path");
  if (split !== "train" && split !== "test") fail(fn, "split", `must be "train" or "test", got ${String(split)}`);
  if (!fs.existsSync(where)) throw new Error(`${fn}: '${where}' does not exist; pass a folder with MNIST-format IDX files or an images file`);
  if (fs.statSync(where).isFile()) {
    const labels = path.join(path.dirname(where), path.basename(where).replace("images", "labels").replace("idx3", "idx1"));
    if (labels === where || !fs.existsSync(labels)) throw new Error(`${fn}: no labels file next to '${where}' (looked for '${labels}')`);
    return { images: where, labels };
  }
  for (const sep of ["-", "."]) for (const gz of [".gz", ""]) {
    const images = path.join(where, `${PREFIX[split]}-images${sep}idx3-ubyte${gz}`);
    const labels = path.join(where, `${PREFIX[split]}-labels${sep}idx1-ubyte${gz}`);
    if (fs.existsSync(images) && fs.existsSync(labels)) return { images, labels };
  }
  throw new Error(`${fn}: no ${split} files in '${where}' (expected ${PREFIX[split]}-images-idx3-ubyte[.gz] and ${PREFIX[split]}-labels-idx1-ubyte[.gz])`);
}

/**
 * A split of an MNIST-format data set from a folder or images file.
 * @example const set = readMnist("/data/mnist", "train"); // n 60000, 28 x 28
 */
export function readMnist(where: string, split: Split = "train"): ImageSet {
  const { images, labels } = findMnistFiles(where, split);
  return readMnistPair(images, labels);
}

/**
 * A split of Fashion-MNIST, by default from the Debian package's folder.
 * @example const test = readFashionMnist({ split: "test" }); // 10000 images
 */
export function readFashionMnist(opts: { dir?: string; split?: Split } = {}): ImageSet {
  const dir = opts.dir ?? FASHION_MNIST_DIR;
  const split = opts.split ?? "train";
  if (!fs.existsSync(dir)) {
    throw new Error(`readFashionMnist: Fashion-MNIST not found at '${dir}'. Install it with 'apt-get install dataset-fashion-mnist' (files go to ${FASHION_MNIST_DIR}), or pass dir: a folder with the IDX files`);
  }
  return { ...readMnist(dir, split), classNames: FASHION_MNIST_CLASSES };
}

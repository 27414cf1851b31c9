/**
 * The bundled 8 x 8 handwritten digits (1,797 images, pixels 0..16): the test part of the UCI "Optical Recognition
 * of Handwritten Digits" set (Alpaydin & Kaynak 1998) as shipped with scikit-learn. Stored as two gzipped IDX
 * files in datasets/ (see datasets/README.md).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readMnistPair } from "./mnist";
import { ImageSet } from "./image-set";

/**
 * The package's datasets/ folder, found relative to this file so it works from any working directory: three
 * levels up from dist/src/data/, two from src/data/ when run from source.
 * @example const dir = datasetsDir();
 */
export function datasetsDir(): string {
  const candidates = [path.resolve(__dirname, "..", "..", "..", "datasets"), path.resolve(__dirname, "..", "..", "datasets")];
  return candidates.find((d) => fs.existsSync(path.join(d, "README.md"))) ?? candidates[0];
}

/**
 * All 1,797 digits with labels 0..9, pixels 0..16.
 * @example const set = readDigits(); // set.n === 1797, set.height === 8
 */
export function readDigits(): ImageSet {
  const dir = datasetsDir();
  const images = path.join(dir, "digits-images-idx3-ubyte.gz");
  if (!fs.existsSync(images)) throw new Error(`readDigits: bundled digits missing at '${images}'; the package's datasets/ folder is incomplete`);
  const set = readMnistPair(images, path.join(dir, "digits-labels-idx1-ubyte.gz"));
  return { ...set, maxValue: 16, classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
}

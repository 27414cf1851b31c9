// Image sets held as plain arrays (src/data/image-set.ts): selection, class filters and subsamples are index work on
// a tiny hand-made set, so every expected pixel and label is known exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, initBackend } from "../../src/tensor";
import { filterImageClasses, imageSetToTensor, selectImages, subsampleImages, type ImageSet } from "../../src/data/image-set";

/** Four 1x2 images; image i holds pixels [10 i, 10 i + 1], label i % 2. */
const SET: ImageSet = {
  images: Uint8Array.from([0, 1, 10, 11, 20, 21, 30, 31]), labels: Int32Array.from([0, 1, 0, 1]),
  n: 4, height: 1, width: 2, maxValue: 40, classNames: ["even", "odd"],
};

test("selectImages and filterImageClasses copy the chosen images with their labels", () => {
  const s = selectImages(SET, [3, 0]);
  assert.deepEqual(Array.from(s.images), [30, 31, 0, 1]);
  assert.deepEqual(Array.from(s.labels), [1, 0]);
  assert.equal(s.n, 2);
  assert.deepEqual(s.classNames, ["even", "odd"]);
  const odd = filterImageClasses(SET, [1]);
  assert.deepEqual(Array.from(odd.images), [10, 11, 30, 31]);
  assert.deepEqual(Array.from(odd.labels), [1, 1]);
  assert.throws(() => filterImageClasses(SET, [5]), { message: "filterImageClasses: argument 'classes' selects no images: labels present are 0, 1" });
  assert.throws(() => filterImageClasses(SET, [0.5]), /filterImageClasses: argument 'classes' must be a non-empty array of integer labels, got \[0.5\]/);
  assert.equal(SET.images[0], 0, "the source set is left as it was");
});

test("subsampleImages draws distinct images under a seed; too many is an error naming n", () => {
  const a = subsampleImages(SET, 3, new Rng(4)), b = subsampleImages(SET, 3, new Rng(4));
  assert.deepEqual(Array.from(a.images), Array.from(b.images), "same seed, same subset");
  const firsts = Array.from({ length: 3 }, (_, i) => a.images[2 * i]);
  assert.equal(new Set(firsts).size, 3, "without replacement");
  firsts.forEach((p, i) => assert.equal(a.labels[i], (p / 10) % 2, "labels travel with their images"));
  assert.throws(() => subsampleImages(SET, 5, new Rng(0)), { message: "subsampleImages: argument 'n' is 5, larger than the 4 images available" });
});

test("imageSetToTensor scales pixels to [-1, 1], [0, 1] or leaves them raw, as [n, 1, h, w] or flat rows", async () => {
  await initBackend();
  const sym = imageSetToTensor(SET), unit = imageSetToTensor(SET, { scale: "unit", flatten: true }), raw = imageSetToTensor(SET, { scale: "raw" });
  assert.deepEqual(sym.shape, [4, 1, 1, 2]);
  assert.deepEqual(unit.shape, [4, 2]);
  // Pixels 0, 10, 20, 30 of 40 are exactly -1, -0.5, 0, 0.5 (and 0, 0.25, 0.5, 0.75); the odd pixels are within
  // float32 rounding (spacing 6e-8 below 1) of p / 20 - 1 and p / 40.
  const close = (got: Float32Array | Int32Array | Uint8Array, want: number[]) => want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-7, `${i}: ${got[i]} vs ${w}`));
  close(sym.dataSync(), [-1, -0.95, -0.5, -0.45, 0, 0.05, 0.5, 0.55]);
  close(unit.dataSync(), [0, 0.025, 0.25, 0.275, 0.5, 0.525, 0.75, 0.775]);
  assert.deepEqual(Array.from(sym.dataSync()).filter((_, i) => i % 2 === 0), [-1, -0.5, 0, 0.5]);
  assert.deepEqual(Array.from(raw.dataSync()), Array.from(SET.images));
  assert.throws(() => imageSetToTensor(SET, { scale: "bad" as never }), /imageSetToTensor: argument 'scale' must be "symmetric", "unit" or "raw", got bad/);
  [sym, unit, raw].forEach((t) => t.dispose());
});

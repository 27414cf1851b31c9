import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, initBackend } from "../../src/tensor";
import { D, LEVELS, digitsSplit, imagesToTensor } from "../../src/fusion/digits-cell";

test("imagesToTensor dequantises by hand: x = 2 (p + u) / 17 - 1 with one uniform draw per pixel", async () => {
  await initBackend();
  const images = new Uint8Array(2 * D);
  images[0] = 0; images[1] = 16; images[D] = 8;
  const x = imagesToTensor(images, [1, 0], new Rng(9));
  const u = new Rng(9).uniformArray(2 * D);
  const v = x.dataSync();
  assert.deepEqual(x.shape, [2, D]);
  // Row 0 of the tensor is image 1, row 1 image 0; float32 rounding of values in [-1, 1] is below 1e-6.
  assert.ok(Math.abs(v[0] - ((2 * (8 + u[0])) / LEVELS - 1)) < 1e-6);
  assert.ok(Math.abs(v[D] - ((2 * (0 + u[D])) / LEVELS - 1)) < 1e-6);
  assert.ok(Math.abs(v[D + 1] - ((2 * (16 + u[D + 1])) / LEVELS - 1)) < 1e-6);
  assert.ok(Array.from(v).every((y) => y >= -1 && y < 1));
  x.dispose();
});

test("digitsSplit: auxiliary, test and target pools are disjoint, and the auxiliaries are skewed 0.9 : 0.1", () => {
  const s = digitsSplit(50);
  const group = (i: number) => (s.set.labels[i] >= 5 ? 1 : 0);
  assert.equal(s.testIdx.length, 50);
  assert.equal(s.testIdx.filter((i) => group(i) === 0).length, 30, "the test set is 0.6 : 0.4 like the target");
  const pool = new Set([...s.pool[0], ...s.pool[1]]);
  const aux = new Set([...s.auxIdx[0], ...s.auxIdx[1]]);
  for (const i of s.testIdx) assert.ok(!pool.has(i) && !aux.has(i));
  for (const i of pool) assert.ok(!aux.has(i));
  const share = s.auxIdx[0].filter((i) => group(i) === 0).length / s.auxIdx[0].length;
  assert.ok(Math.abs(share - 0.9) < 0.01, `auxiliary A's share of 0-4: ${share}`);
  assert.ok(s.nMax >= 400, "the full mode's n = 400 fits");
  assert.equal(s.rows([s.testIdx[0]])[0].length, D);
});

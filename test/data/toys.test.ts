import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { checkerboard, circles, gridGaussians, moons, pinwheel, ringGaussians, swissRoll } from "../../src/data/toys";

const ALL = { ringGaussians, gridGaussians, moons, swissRoll, checkerboard, circles, pinwheel };

test("every toy has shape [n, 2] and is deterministic under a seed", async () => {
  await initBackend();
  for (const [name, make] of Object.entries(ALL)) {
    const a = make(301, new Rng(4)), b = make(301, new Rng(4)), c = make(301, new Rng(5));
    assert.deepEqual(a.x.shape, [301, 2], name);
    const da = Array.from(a.x.dataSync());
    assert.ok(da.every(Number.isFinite), name);
    assert.deepEqual(da, Array.from(b.x.dataSync()), `${name}: same seed`);
    assert.notDeepEqual(da, Array.from(c.x.dataSync()), `${name}: other seed`);
    if (a.labels) assert.equal(a.labels.length, 301);
    tf.dispose([a.x, b.x, c.x]);
  }
});

function byLabel(x: Float32Array, labels: Int32Array, k: number): { mean: number[][]; count: number[] } {
  const mean = Array.from({ length: k }, () => [0, 0]), count = new Array(k).fill(0);
  labels.forEach((l, i) => { mean[l][0] += x[2 * i]; mean[l][1] += x[2 * i + 1]; count[l]++; });
  mean.forEach((m, l) => { m[0] /= count[l]; m[1] /= count[l]; });
  return { mean, count };
}

test("ring mixture: component sample means sit on the ring, the exact GMM matches", () => {
  const { x, labels, gmm } = ringGaussians(8000, new Rng(1), { k: 8, radius: 2, std: 0.2 });
  assert.equal(gmm!.k, 8);
  const { mean, count } = byLabel(x.dataSync() as Float32Array, labels!, 8);
  for (let j = 0; j < 8; j++) {
    const want = [2 * Math.cos((2 * Math.PI * j) / 8), 2 * Math.sin((2 * Math.PI * j) / 8)];
    assert.deepEqual(gmm!.spec.means[j].map((v) => +v.toFixed(12)), want.map((v) => +v.toFixed(12)));
    // About 1000 points per component, std 0.2: standard error 0.0063; allow 5.
    for (let a = 0; a < 2; a++) assert.ok(Math.abs(mean[j][a] - want[a]) < 5 * 0.2 / Math.sqrt(count[j]), `component ${j}`);
  }
  // Overall mean 0, per-coordinate variance r^2/2 + std^2 = 2.04 (law of total covariance).
  const C = gmm!.covariance();
  assert.ok(Math.abs(C[0][0] - 2.04) < 1e-12 && Math.abs(C[0][1]) < 1e-12);
  x.dispose();
});

test("grid mixture has side^2 components centred at 0 with the given spacing", () => {
  const { x, labels, gmm } = gridGaussians(5000, new Rng(2), { side: 5, spacing: 1, std: 0.1 });
  assert.equal(gmm!.k, 25);
  const xs = gmm!.spec.means.map((m) => m[0]);
  assert.deepEqual([...new Set(xs)].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  const { mean, count } = byLabel(x.dataSync() as Float32Array, labels!, 25);
  for (let j = 0; j < 25; j++) for (let a = 0; a < 2; a++) assert.ok(Math.abs(mean[j][a] - gmm!.spec.means[j][a]) < 5 * 0.1 / Math.sqrt(count[j]));
  x.dispose();
});

test("moons, circles, swiss roll, checkerboard and pinwheel have their defining geometry", () => {
  // Noise-free versions make the geometry exact up to float32 rounding (1e-6).
  const m = moons(400, new Rng(3), { noise: 0 });
  const md = m.x.dataSync();
  m.labels!.forEach((l, i) => {
    const [cx, cy] = l === 0 ? [0, 0] : [1, 0.5];
    assert.ok(Math.abs(Math.hypot(md[2 * i] - cx, md[2 * i + 1] - cy) - 1) < 1e-5);
    assert.ok(l === 0 ? md[2 * i + 1] >= -1e-6 : md[2 * i + 1] <= 0.5 + 1e-6);
  });
  assert.equal(m.labels!.filter((l) => l === 0).length, 200);
  const c = circles(400, new Rng(3), { noise: 0, factor: 0.3 });
  const cd = c.x.dataSync();
  c.labels!.forEach((l, i) => assert.ok(Math.abs(Math.hypot(cd[2 * i], cd[2 * i + 1]) - (l === 0 ? 1 : 0.3)) < 1e-5));
  const s = swissRoll(400, new Rng(3), { noise: 0 });
  const sd = s.x.dataSync();
  for (let i = 0; i < 400; i++) {
    const r = Math.hypot(sd[2 * i], sd[2 * i + 1]) * 5; // = t in [1.5 pi, 4.5 pi]
    assert.ok(r >= 1.5 * Math.PI - 1e-4 && r <= 4.5 * Math.PI + 1e-4);
  }
  const b = checkerboard(2000, new Rng(3));
  const bd = b.x.dataSync();
  for (let i = 0; i < 2000; i++) {
    const u = bd[2 * i], v = bd[2 * i + 1];
    assert.ok(u >= -2 && u <= 2 && v >= -2 && v <= 2);
    assert.equal((Math.floor(u + 2) + Math.floor(v + 2)) % 2, 0, "on a dark square");
  }
  const p = pinwheel(500, new Rng(3), { arms: 5 });
  assert.deepEqual([...new Set(p.labels)].sort(), [0, 1, 2, 3, 4]);
  tf.dispose([m.x, c.x, s.x, b.x, p.x]);
});

test("toys reject bad sizes and options", () => {
  assert.throws(() => moons(0, new Rng(0)), /moons: argument 'n' must be >= 1/);
  assert.throws(() => circles(10, new Rng(0), { factor: 1.5 }), /circles: argument 'factor' must be < 1/);
  assert.throws(() => ringGaussians(10, new Rng(0), { std: 0 }), /ringGaussians: argument 'std' must be > 0/);
  assert.throws(() => swissRoll(10, {} as Rng), /swissRoll: argument 'rng' must be an Rng/);
});

/** Noise grids: end points, the rules' interior levels in closed form, and the errors of bad grids. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { sigmaAt, timeAtSigma, veSDE, vpSDE, subVpSDE } from "../../src/sde";
import { checkGrid, eulerMaruyama, noiseGrid, timeGrid } from "../../src/sample";
import { gaussianScore } from "../../src/score/exact";

const sdes = [["vp", vpSDE()], ["ve", veSDE()], ["subvp", subVpSDE()]] as const;

test("every rule starts at T and ends at tMin exactly, strictly decreasing, with steps + 1 levels", () => {
  for (const [name, sde] of sdes) for (const rule of ["uniform", "karras", "logsnr", { kind: "karras", rho: 3 }] as const) {
    for (const steps of [1, 2, 17]) {
      const ts = noiseGrid(sde, steps, rule);
      assert.equal(ts.length, steps + 1);
      assert.equal(ts[0], sde.T, `${name} ${JSON.stringify(rule)}`);
      assert.equal(ts[steps], sde.tMin, `${name} ${JSON.stringify(rule)}`);
      for (let i = 1; i <= steps; i++) assert.ok(ts[i] < ts[i - 1], `${name} ${JSON.stringify(rule)} not decreasing at ${i}`);
    }
  }
});

test("the interior levels follow each rule's formula in sigma (float64, relative 1e-12)", () => {
  // Bisection inverts sigma(t) to float64's last bits, so a rule's sigma is recovered to ~1e-15 relative.
  for (const [name, sde] of sdes) {
    const hi = sigmaAt(sde, sde.T), lo = sigmaAt(sde, sde.tMin), N = 10;
    const k = noiseGrid(sde, N, "karras");
    const l = noiseGrid(sde, N, "logsnr");
    for (let i = 1; i < N; i++) {
      const karras = (hi ** (1 / 7) + (i / N) * (lo ** (1 / 7) - hi ** (1 / 7))) ** 7;
      assert.ok(Math.abs(sigmaAt(sde, k[i]) / karras - 1) < 1e-12, `${name} karras level ${i}`);
      // Uniform log-SNR: consecutive sigma ratios are all (lo / hi)^(1 / N).
      assert.ok(Math.abs(sigmaAt(sde, l[i]) / sigmaAt(sde, l[i - 1]) - (lo / hi) ** (1 / N)) < 1e-12, `${name} logsnr level ${i}`);
    }
    // rho = 1 is uniform in sigma.
    const r1 = noiseGrid(sde, 4, { kind: "karras", rho: 1 });
    assert.ok(Math.abs(sigmaAt(sde, r1[2]) - (hi + lo) / 2) < 1e-9 * hi, `${name} rho 1`);
    assert.deepEqual(noiseGrid(sde, 5, "uniform"), timeGrid(sde, 5));
  }
  // sigma(t) and its inverse agree.
  const vp = vpSDE();
  for (const t of [1e-3, 0.1, 0.5, 0.999]) assert.ok(Math.abs(timeAtSigma(vp, sigmaAt(vp, t)) - t) < 1e-12);
  // VP's sigma has the closed form sqrt(e^B - 1).
  assert.ok(Math.abs(sigmaAt(vp, 1) - Math.sqrt(Math.expm1(10.05))) < 1e-9);
});

test("a user array is used as given and a sampler steps through it", async () => {
  await initBackend();
  const sde = vpSDE();
  const grid = [1, 0.6, 0.2, 0.05, 0.001];
  assert.deepEqual(noiseGrid(sde, 4, grid), grid);
  const m = gaussianScore(sde, [0.5], 1);
  const times: number[] = [];
  const x = await eulerMaruyama(m.score, sde, { n: 4, steps: 4, rng: new Rng(0), shape: [1], grid, onStep: (p) => times.push(p.t as number) });
  assert.deepEqual(times, grid.slice(1));
  tf.dispose(x); m.dispose();
});

test("bad grids give one Error naming the function, the argument and what was expected", () => {
  const sde = vpSDE();
  assert.throws(() => checkGrid(sde, [1, 0.5, 0.7, 0.1]), /checkGrid: argument 'grid' must be strictly decreasing \(from T to tMin\), but grid\[2\] = 0.7 follows 0.5/);
  assert.throws(() => checkGrid(sde, [1, NaN, 0.1]), /checkGrid: argument 'grid\[1\]' must be a finite number, got NaN/);
  assert.throws(() => checkGrid(sde, [1, Infinity]), /argument 'grid\[1\]' must be a finite number/);
  assert.throws(() => checkGrid(sde, [0.9, 0.1]), /argument 'grid\[0\]' must equal the SDE's T = 1/);
  assert.throws(() => checkGrid(sde, [1, 0.5, 1e-4]), /argument 'grid\[2\]' must be >= the SDE's tMin = 0.001/);
  assert.throws(() => checkGrid(sde, [1]), /must hold at least two times/);
  assert.throws(() => checkGrid(sde, "karras"), /must be an array of times/);
  assert.throws(() => noiseGrid(sde, 3, [1, 0.5, 0.001]), /noiseGrid: argument 'grid' must hold steps \+ 1 = 4 times, got 3/);
  assert.throws(() => noiseGrid(sde, 3, "cosine" as never), /noiseGrid: argument 'grid' must be one of uniform, karras, logsnr/);
  assert.throws(() => noiseGrid(sde, 3, { kind: "karras", rho: 0 }), /noiseGrid: argument 'grid.rho' must be > 0/);
  assert.throws(() => noiseGrid(sde, 0, "uniform"), /noiseGrid: argument 'steps'/);
  assert.throws(() => timeAtSigma(sde, 1e6), /timeAtSigma: argument 'sigma' must be <= sigma\(T\)/);
});

// How training times are drawn (src/score/training-noise.ts): uniform on [tMin, T], or EDM's log-normal noise levels.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { sigmaAt, vpSDE } from "../../src/sde";
import { trainingTimes } from "../../src/score/training-noise";

test("uniform times are the rng's uniform draws on [tMin, T]", async () => {
  await initBackend();
  const sde = vpSDE();
  const got = trainingTimes(sde, 0.01, {}, "test")(6, new Rng(3));
  const want = new Rng(3).uniform([6], 0.01, sde.T);
  assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
  assert.ok(Array.from(got.dataSync()).every((u) => u >= Math.fround(0.01) && u <= 1));
  tf.dispose([got, want]);
});

test("EDM's log-normal training noise: ln sigma(t) has the asked mean and std, and t stays in [tMin, T]", async () => {
  await initBackend();
  const sde = vpSDE(), n = 20000;
  // ln sigma ranges over [-3.1, 5.0] on the VP SDE: N(1, 0.5^2) puts 8 standard deviations inside each end.
  const draw = trainingTimes(sde, sde.tMin, { noise: "lognormal", pMean: 1, pStd: 0.5 }, "test");
  const ts = draw(n, new Rng(7));
  const ls = Array.from(ts.dataSync()).map((u) => Math.log(sigmaAt(sde, u)));
  const mean = ls.reduce((a, b) => a + b, 0) / n, sd = Math.sqrt(ls.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  // Standard errors 0.5 / sqrt(n) = 0.0035 (mean) and 0.5 / sqrt(2n) = 0.0025 (std); 5 of them, plus float32 times.
  assert.ok(Math.abs(mean - 1) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.5) < 0.015, `std ${sd}`);
  const all = ts.dataSync();
  assert.ok(all.every((u) => u >= Math.fround(sde.tMin) && u <= 1), "times outside [tMin, T]");
  ts.dispose();
  assert.throws(() => trainingTimes(sde, sde.tMin, { noise: "lognormal", pMean: 60, pStd: 0.1 }, "trainScore")(4, new Rng(0)), /trainScore: argument 'opts.pMean' and opts.pStd put almost no mass/);
  assert.throws(() => trainingTimes(sde, sde.tMin, { noise: "gamma" as never }, "trainScore"), /trainScore: argument 'opts.noise' must be one of uniform, lognormal/);
  assert.throws(() => trainingTimes(sde, sde.tMin, { noise: "lognormal", pStd: 0 }, "trainScore"), /argument 'opts.pStd' must be > 0/);
});

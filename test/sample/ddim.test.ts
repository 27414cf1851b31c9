// ddim (src/sample/ddim.ts; Song, Meng and Ermon 2021).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { veSDE, vpSDE } from "../../src/sde/sde";
import { gaussianScore } from "../../src/score/exact";
import { ddim } from "../../src/sample/ddim";
import { N, gaussianTargetTests } from "./gaussian-target";
import { memorizationSetting, nearest } from "./memorization";

gaussianTargetTests({ name: "ddim", law: "ddim", steps: 100, klMax: 5e-3, run: (m, sde, rng, d) => ddim(m.score, sde, { n: N, steps: 100, rng, shape: [d] }) });

test("DDIM with the empirical optimal score memorizes too, and its denoiser lands on training points", async () => {
  const { sde, data, m } = await memorizationSetting();
  // s(tMin) = 0.0105: the marginal std at the sampler's last time (see heun.test.ts for the ODE's bounds).
  const s = sde.marginalAt(sde.tMin).std;
  // DDIM aims at the same law with a coarser (first-order) discretisation: measured 95th percentile 3.4 s,
  // median 1.25 s; allow 5 s and 2 s.
  const y = await ddim(m.score, sde, { n: 400, steps: 100, rng: new Rng(23), shape: [2] });
  const dy = nearest(y, data).sort((a, b) => a - b);
  assert.ok(dy[380] < 5 * s && dy[200] < 2 * s, `DDIM: 95th percentile ${dy[380]}, median ${dy[200]}`);
  // The denoiser E[x_0 | x_tMin] of those samples is (nearly) a training point itself: with s = 0.0105 against
  // gaps of ~0.3 between training points, the softmax weights are one-hot to within e^{-100}; float32 leaves
  // ~1e-6. Require 95% within 1e-3 (PAPERS.md: 89% in an independent 100-step DDIM check).
  const d0 = m.denoise(y, tf.fill([400], sde.tMin));
  const dd = nearest(d0, data);
  assert.ok(dd.filter((v) => v < 1e-3).length >= 0.95 * 400, `denoised: ${dd.filter((v) => v < 1e-3).length} of 400 within 1e-3`);
  tf.dispose(d0);
  tf.dispose([data, y]); m.dispose();
});

test("ddim needs a VP SDE", async () => {
  const vp = vpSDE(), ve = veSDE();
  const m = gaussianScore(vp, [0, 0]);
  const ok = { n: 4, steps: 3, rng: new Rng(0), shape: [2] };
  await assert.rejects(ddim(m.score, ve, ok), /ddim: argument 'sde' must be a VP SDE/);
  m.dispose();
});

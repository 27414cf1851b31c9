import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import { refineMagic } from "../../src/magics/refine";

test("%refine runs guidance on a score model and SIR on a mixture, printing and displaying figures", async () => {
  await initBackend();
  let rng = new Rng(0);
  const printed: string[] = [], shown: unknown[] = [];
  const data = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
  const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
  const d = data.sample(200, new Rng(1));
  const ctx = {
    get rng() { return rng; }, setRng(r: Rng) { rng = r; }, print: (s: string) => printed.push(s),
    display: (b: unknown) => shown.push(b), signal: new AbortController().signal,
    locals: { m: mixtureScore(vpSDE(), model), g: model, d } as Record<string, unknown>,
  };
  const a = await refineMagic.run({ opts: { model: "m", data: "d", w: 1, steps: 20, n: 50, samplerSteps: 10, method: "sir" }, args: [] }, ctx);
  assert.equal(a.kind, "guidance");
  assert.equal(a.samples.shape[0], 50);
  const b = await refineMagic.run({ opts: { model: "g", data: "d", w: 1, steps: 20, n: 50, samplerSteps: 10, method: "rejection" }, args: [] }, ctx);
  assert.equal(b.kind, "rejection");
  assert.ok(b.acceptanceRate! > 0);
  assert.ok(printed.some((s) => /guided score with w = 1/.test(s)) && printed.some((s) => /acceptance rate/.test(s)));
  assert.ok(shown.some((x) => typeof x === "object" && x !== null && "application/vnd.plotly.v1+json" in x));
  await assert.rejects(refineMagic.run({ opts: { model: "nope", data: "d" }, args: [] }, ctx), /%refine: no notebook variable 'nope'/);
  a.discriminator.dispose(); b.discriminator.dispose(); tf.dispose([a.samples, b.samples, d]);
});

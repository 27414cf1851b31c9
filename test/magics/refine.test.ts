/**
 * %refine on a generator that is not a score model: the library's SIR refinement with the session rng's fork, the
 * discriminator's curve and the refined points shown; an interrupt keeps no sample; bad names are one line each.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { refineMagic } from "../../src/magics/refine";
import { refineGenerator } from "../../src/refine/refine-generator";
import { Rng } from "../../src/tensor/rng";
import { context, oneLineError, plotlyBundles, runLine } from "./context";
import { initBackend } from "../../src/tensor/backend";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

const gen = (n: number, rng: Rng) => rng.normal([n, 2]) as tf.Tensor2D;

test("%refine --method sir gives the library's refined sample, prints its effective sample size and shows two figures", async () => {
  const data = tf.tidy(() => tf.add(new Rng(2).normal([32, 2]), 1)) as tf.Tensor2D;
  const { ctx, printed, shown } = context({ gen, data });
  const r = await runLine(refineMagic, ["--model", "gen", "--data", "data", "--steps", "5", "--n", "10"], ctx);
  const lib = await refineGenerator(gen, data, { rng: new Rng(7).fork(5), method: "sir", n: 10, steps: 5, samplerSteps: 200 });
  assert.equal(r.kind, "sir");
  assert.deepEqual(r.samples.shape, [10, 2]);
  assert.deepEqual(Array.from(r.samples.dataSync()), Array.from(lib.x.dataSync()));
  assert.deepEqual(r.history, lib.history);
  assert.equal(r.ess, lib.ess);
  assert.match(printed[0], /^refined by sir: 10 samples, effective sample size [\d.]+ \([\d.]+% of the pool\)$/);
  assert.equal(plotlyBundles(shown).length, 2, "the discriminator's loss and the refined points");
  tf.dispose([data, r.samples, lib.x, lib.pool]);
  r.discriminator.dispose();
  lib.discriminator.dispose();
});

test("%refine interrupted keeps no refined sample and says so in one line", async () => {
  const ac = new AbortController();
  ac.abort();
  const data = tf.zeros([8, 2]);
  const { ctx } = context({ gen, data }, ac.signal);
  await oneLineError(runLine(refineMagic, ["--model", "gen", "--data", "data", "--steps", "5", "--n", "4"], ctx), /^%refine: interrupted; no refined sample kept \(the model and variables are unchanged\)$/);
  data.dispose();
});

test("%refine: missing or unknown names and data that is not [n, d] give one line each", async () => {
  const flat = tf.zeros([4]);
  const { ctx } = context({ gen, flat });
  await oneLineError(runLine(refineMagic, ["--data", "flat"], ctx), /^%refine: --model needs the notebook variable holding the model or generator$/);
  await oneLineError(runLine(refineMagic, ["--model", "gen"], ctx), /^%refine: --data needs the notebook variable holding the data sample$/);
  await oneLineError(runLine(refineMagic, ["--model", "nosuch", "--data", "flat"], ctx), /^%refine: no notebook variable 'nosuch' \(from --model\)$/);
  await oneLineError(runLine(refineMagic, ["--model", "gen", "--data", "flat"], ctx), /^%refine: --data 'flat' must name a tensor \[n, d\]$/);
  await oneLineError(runLine(refineMagic, ["--model", "gen", "--data", "flat", "--method", "mcmc"], ctx), /Allowed choices are sir, rejection/);
  flat.dispose();
});


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

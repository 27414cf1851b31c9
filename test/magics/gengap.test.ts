/** %gengap: the library's DSM gap per noise level on notebook data, drawn and summarised; bad names one line each. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gengapMagic } from "../../src/magics/gengap";
import { dsmGap } from "../../src/generalization/gap";
import { gaussianScore } from "../../src/score/exact/gaussian";
import { vpSDE } from "../../src/sde/sde";
import { Rng } from "../../src/tensor/rng";
import { context, oneLineError, plotlyBundles, runLine } from "./context";
import { initBackend } from "../../src/tensor/backend";
import { empiricalScore } from "../../src/score";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

// Made after initBackend, so its tensors live on the backend under test.
const exact = () => { const sde = vpSDE(); return { sde, model: gaussianScore(sde, [0, 0], 1) }; };

test("%gengap returns the library's gap (drawn from the session rng's fork) and shows the three curves", async () => {
  const { sde, model } = exact();
  const rng = new Rng(3);
  const train = rng.normal([16, 2]), test = rng.normal([16, 2]);
  const { ctx, printed, shown } = context({ model, train, held: { name: "held", x: test } });
  const g = await runLine(gengapMagic, ["--model", "model", "--train", "train", "--test", "held", "--bins", "3", "--repeats", "1"], ctx);
  const lib = dsmGap(model.score, sde, train, test, { bins: 3, repeats: 1, rng: new Rng(7).fork(0x6e9) });
  assert.deepEqual(g.gap, lib.gap);
  assert.deepEqual(g.t, lib.t);
  assert.equal(g.gap.length, 3);
  assert.equal(g.likelihood, undefined);
  assert.equal(printed[0], `mean DSM loss: training ${lib.meanTrain.toFixed(4)}, held-out ${lib.meanTest.toFixed(4)}, gap ${lib.meanGap.toFixed(4)}`);
  assert.equal(plotlyBundles(shown).length, 1);
  tf.dispose([train, test]);
});

test("%gengap: each missing or wrong variable is one line naming the flag", async () => {
  const { sde, model } = exact();
  const x = tf.zeros([4, 2]);
  const { ctx } = context({ model, x, word: "w", noScore: { sde } });
  await oneLineError(runLine(gengapMagic, ["--train", "x", "--test", "x"], ctx), /^%gengap: --model needs the name of a notebook variable$/);
  await oneLineError(runLine(gengapMagic, ["--model", "nosuch", "--train", "x", "--test", "x"], ctx), /^%gengap: --model 'nosuch' is not a notebook variable$/);
  await oneLineError(runLine(gengapMagic, ["--model", "noScore", "--train", "x", "--test", "x"], ctx), /^%gengap: --model 'noScore' must be a score model with \.sde and \.score$/);
  await oneLineError(runLine(gengapMagic, ["--model", "model", "--train", "word", "--test", "x"], ctx), /^%gengap: --train 'word' must be a tensor \[n, \.\.\.\] \(or a dataset with \.x\)$/);
  await oneLineError(runLine(gengapMagic, ["--model", "model", "--train", "x"], ctx), /^%gengap: --test needs the name of a notebook variable$/);
  x.dispose();
});


test("%gengap draws the curves, prints the means and names a missing variable", async () => {
  await initBackend();
  const rng = new Rng(40);
  const train = rng.normal([16, 2]) as tf.Tensor2D; const held = rng.normal([64, 2]);
  const m = empiricalScore(vpSDE(), train);
  const shown: unknown[] = []; const printed: string[] = [];
  const ctx = { rng, setRng() {}, print: (s: string) => printed.push(s), display: (b: unknown) => shown.push(b), signal: new AbortController().signal, locals: { m, train, held } as Record<string, unknown> };
  const g = await gengapMagic.run({ opts: { model: "m", train: "train", test: "held", bins: 4, repeats: 2 }, args: [] }, ctx);
  assert.equal(g.t.length, 4);
  assert.equal(shown.length, 1);
  assert.ok(Object.keys(shown[0] as object).includes("application/vnd.plotly.v1+json"));
  assert.match(printed[0], /mean DSM loss: training .* held-out .* gap/);
  await assert.rejects(gengapMagic.run({ opts: { model: "nope", train: "train", test: "held", bins: 4, repeats: 1 }, args: [] }, ctx), /%gengap: --model 'nope' is not a notebook variable/);
  m.dispose(); tf.dispose([train, held]);
});

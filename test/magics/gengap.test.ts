import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { empiricalScore } from "../../src/score";
import { gengapMagic } from "../../src/magics/gengap";

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

/** %fuse: the library's KL-barycenter fit on notebook models and data, shown; bad names are one line each. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fuseMagic } from "../../src/magics/fuse";
import { fuse } from "../../src/fusion/fuse";
import { gaussianScore } from "../../src/score/exact/gaussian";
import { vpSDE } from "../../src/sde/sde";
import { Rng } from "../../src/tensor/rng";
import { context, oneLineError, plotlyBundles, runLine } from "./context";
import { initBackend } from "../../src/tensor/backend";
import type { MagicContext } from "../../src/magics/spec";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

// Made after initBackend, so their tensors live on the backend under test.
const models = () => { const sde = vpSDE(); return { a: gaussianScore(sde, [0, 0], 1), b: gaussianScore(sde, [2, 2], 1) }; };

test("%fuse gives the weights the library fits with the session rng, prints each model's loss and shows the weights", async () => {
  const { a, b } = models();
  const target = tf.tidy(() => tf.add(new Rng(5).normal([40, 2]), 2));
  const { ctx, printed, shown } = context({ a, b, target });
  const fused = await runLine(fuseMagic, ["--models", "a, b", "--data", "target", "--samples", "64"], ctx);
  // The context's rng is Rng(7): the same fit by hand.
  const lib = await fuse([a, b], target, { rng: new Rng(7), method: "qp", samples: 64, names: ["a", "b"] });
  assert.deepEqual(fused.weights, lib.weights);
  // The target sits on b's mean, so b carries most of the weight.
  assert.ok(fused.weights[1] > fused.weights[0], `${fused.weights}`);
  assert.match(printed[0], /^fused 2 models \(qp\) on 40 target points, t in \[[\d.e-]+, 1\], 64 pool samples\n  a: weight [\d.]+ {3}DSM loss alone/);
  assert.equal(plotlyBundles(shown).length, 1);
  tf.dispose([target]);
});

test("%fuse: missing or unknown names, and data that is not a tensor, give one line each", async () => {
  const { ctx } = context({ ...models(), notT: [1, 2] });
  await oneLineError(runLine(fuseMagic, ["--data", "notT"], ctx), /^%fuse: --models needs a comma-separated list of notebook variables/);
  await oneLineError(runLine(fuseMagic, ["--models", "a,b"], ctx), /^%fuse: --data needs the notebook variable holding the target sample$/);
  await oneLineError(runLine(fuseMagic, ["--models", "a,zz", "--data", "notT"], ctx), /^%fuse: no notebook variable 'zz' \(from --models\)$/);
  await oneLineError(runLine(fuseMagic, ["--models", "a,b", "--data", "notT"], ctx), /^%fuse: --data 'notT' must name a tensor \[n, \.\.\.dims\]$/);
  await oneLineError(runLine(fuseMagic, ["--models", "a", "--data", "notT", "--method", "em"], ctx), /Allowed choices are qp, adam, both/);
});

// Moved from test/fusion/fuse-magic.test.ts.
function recordingContext(locals: Record<string, unknown>) {
  const printed: string[] = [];
  const shown: unknown[] = [];
  const ctx: MagicContext = {
    rng: new Rng(1), setRng() {}, print: (t) => printed.push(t), display: (b) => shown.push(b),
    signal: new AbortController().signal, locals,
  };
  return { ctx, printed, shown };
}

test("%fuse learns weights of notebook models and shows them with the loss", async () => {
  await initBackend();
  const sde = vpSDE();
  const a = gaussianScore(sde, [-2]);
  const b = gaussianScore(sde, [2]);
  // Target N(0.4 * -2 + 0.6 * 2, 1) = N(0.4, 1): the fused family holds it at weights (0.4, 0.6).
  const target = tf.tidy(() => new Rng(3).normal([1000, 1]).add(0.4));
  const { ctx, printed, shown } = recordingContext({ a, b, target });
  const fused = await fuseMagic.run({ opts: { models: "a,b", data: "target", method: "qp", samples: 1024 }, args: [] }, ctx);
  // Mean error of 1,000 unit-variance points ~0.03, divided by the mean gap 4: weights within ~0.01; 0.05 is generous.
  assert.ok(Math.abs(fused.weights[0] - 0.4) < 0.05, `${fused.weights}`);
  assert.match(printed.join("\n"), /a: weight 0\.\d{4}.*DSM loss alone/);
  assert.match(printed.join("\n"), /fused DSM loss/);
  assert.equal(shown.length, 1);
  await assert.rejects(fuseMagic.run({ opts: { models: "a,zz", data: "target" }, args: [] }, ctx), /no notebook variable 'zz'/);
  await assert.rejects(fuseMagic.run({ opts: { models: "a", data: "a" }, args: [] }, ctx), /must name a tensor/);
  tf.dispose(target);
  a.dispose(); b.dispose();
});

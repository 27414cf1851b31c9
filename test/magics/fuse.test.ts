import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { gaussianScore } from "../../src/score/exact";
import { fuseMagic } from "../../src/magics/fuse";
import type { MagicContext } from "../../src/magics/spec";

function context(locals: Record<string, unknown>) {
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
  const { ctx, printed, shown } = context({ a, b, target });
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

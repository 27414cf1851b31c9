import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { flowMatchMagic } from "../../src/magics/flow-match";
import { findMagic } from "../../src/magics/registry";
import type { MagicContext } from "../../src/magics/spec";

test("%flow_match trains a velocity net on a notebook tensor, draws samples and reports bad flags", async () => {
  await initBackend();
  assert.equal(findMagic("flow_match"), flowMatchMagic);
  const printed: string[] = [];
  const shown: unknown[] = [];
  const data = tf.add(new Rng(2).normal([256, 2], 0, 0.3), tf.tensor2d([[1, -1]]));
  const ctx: MagicContext = { rng: new Rng(1), setRng() {}, print: (t) => printed.push(t), display: (b) => shown.push(b), signal: new AbortController().signal, locals: { pts: data } };
  const m = await flowMatchMagic.run({ opts: { data: "pts", path: "ot", net: "mlp", width: 32, depth: 2, steps: 20, batch: 64, lr: 1e-3, ema: 0.9, sample: 16, odeSteps: 4, method: "euler", seed: 0 }, args: [] }, ctx);
  assert.equal(m.training.steps, 20);
  assert.equal(m.training.history.length, 20);
  assert.deepEqual(m.samples!.shape, [16, 2]);
  assert.match(printed.join("\n"), /trained mlp velocity net on pts \[256,2\] along the conditional OT path .*20 of 20 steps/);
  assert.ok(shown.some((b) => JSON.stringify(b).includes("flow-matching loss")), "the training curve is shown");
  await assert.rejects(flowMatchMagic.run({ opts: { data: "nope", path: "ot", steps: 1 }, args: [] }, ctx), /%flow_match: --data 'nope' is not a notebook variable/);
  tf.dispose([data, m.samples!]);
  m.dispose();
});

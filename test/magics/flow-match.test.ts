/** %flow_match on tiny sizes: a trained VelocityNet with its record, samples by the ODE, interrupt, bad values. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { flowMatchMagic } from "../../src/magics/flow-match";
import { Rng } from "../../src/tensor/rng";
import { context, oneLineError, plotlyBundles, runLine } from "./context";
import { initBackend } from "../../src/tensor/backend";
import { findMagic } from "../../src/magics/registry";
import type { MagicContext } from "../../src/magics/spec";

// On the backend under test (SCORELAB_BACKEND), as the library's own tests run.
before(async () => { await initBackend(); });

const small = ["--width", "8", "--depth", "1", "--batch", "8", "--seed", "1"];

test("%flow_match trains for --steps, records the history, draws --sample points and shows the loss curve", async () => {
  const x = new Rng(4).normal([16, 2]);
  const { ctx, printed, shown } = context({ x });
  const m = await runLine(flowMatchMagic, ["--data", "x", "--steps", "3", "--sample", "4", "--ode-steps", "2", ...small], ctx);
  assert.deepEqual([m.training.steps, m.training.total, m.training.stopped, m.training.dataName], [3, 3, false, "x"]);
  assert.equal(m.training.history.length, 3);
  assert.ok(m.training.history.every(Number.isFinite));
  assert.deepEqual(m.samples?.shape, [4, 2]);
  assert.match(printed[0], /^trained mlp velocity net on x \[16,2\] along the .*: 3 of 3 steps in [\d.]+ s, last loss /);
  assert.equal(printed[1], "drew 4 samples with 2 heun steps (model.samples)");
  assert.equal(plotlyBundles(shown).length, 1);
  // The same seed trains the same net: the magic draws nothing from the session rng with --seed.
  const again = await runLine(flowMatchMagic, ["--data", "x", "--steps", "3", "--no-plot", ...small], context({ x }).ctx);
  assert.deepEqual(again.training.history, m.training.history);
  assert.equal(again.samples, null);
  m.samples?.dispose();
  m.dispose();
  again.dispose();
  x.dispose();
});

test("%flow_match interrupted keeps the model, stopped, without samples", async () => {
  const ac = new AbortController();
  ac.abort();
  const x = new Rng(4).normal([16, 2]);
  const { ctx, printed } = context({ x }, ac.signal);
  const m = await runLine(flowMatchMagic, ["--data", "x", "--steps", "50", "--sample", "4", "--no-plot", ...small], ctx);
  assert.equal(m.training.stopped, true);
  assert.ok(m.training.steps < 50);
  assert.equal(m.samples, null);
  assert.equal(printed.length, 1);
  m.dispose();
  x.dispose();
});

test("%flow_match: bad values are one line", async () => {
  const { ctx } = context({ x: tf.zeros([4, 2]) });
  await oneLineError(runLine(flowMatchMagic, ["--data", "x", "--sample", "-1"], ctx), /^%flow_match: --sample must be >= 0, got -1$/);
  await oneLineError(runLine(flowMatchMagic, ["--data", "x", "--path", "ve"], ctx), /Allowed choices are ot, vp/);
  await oneLineError(runLine(flowMatchMagic, ["--steps", "2"], ctx), /^%flow_match: --data is required/);
  (ctx.locals.x as tf.Tensor).dispose();
});

// Moved from test/flow-matching/magic.test.ts.
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

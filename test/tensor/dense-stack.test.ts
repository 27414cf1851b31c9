// The dense stack as one torch kernel each way (src/tensor/dense-stack.ts) against the tfjs ops it replaces:
// output, the gradients of input and weights (alone and together), every activation, a subset of weights, and no
// tensor left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateTorch } from "../../src/tensor/torch";
import { torchServes } from "../../src/tensor/torch/serves";
import { Rng, denseStackKernel } from "../../src/tensor";
import { ACTIVATIONS, denseStack } from "../../src/score/network";
import { ParamList } from "../../src/score/params";
import { close } from "./close";

function stack(rng: Rng, sizes: number[]): tf.Variable[] {
  const p = new ParamList();
  for (let l = 0; l + 1 < sizes.length; l++) {
    p.dense(`w${l}`, sizes[l], sizes[l + 1], rng);
    p.zeros(`b${l}`, [sizes[l + 1]]);
  }
  // Non-zero biases, so that a wrong bias gradient cannot hide behind zeros.
  p.variables.filter((_, i) => i % 2 === 1).forEach((b) => b.assign(new Rng(99).normal(b.shape)));
  return p.variables;
}

// Products of a few hundred float32 terms: relative error ~1e-6 per product; three layers and the backward pass
// compound it, and the two paths sum in different orders (row splits here, one product there), so 2e-4.
const TOL = 2e-4;

test("on torch the dense stack is one kernel each way", async () => {
  await activateTorch("cpu");
  assert.ok(torchServes("ScorelabDenseStack") && torchServes("ScorelabDenseStackGrad"));
  const w = stack(new Rng(0), [5, 8, 3]);
  const h = new Rng(1).normal([4, 5]) as tf.Tensor2D;
  const calls: string[] = [];
  const prof = await tf.profile(() => { tf.tidy(() => { denseStack(h, w, 1, "silu"); }); });
  prof.kernels.forEach((k) => calls.push(k.name));
  assert.deepEqual(calls, ["ScorelabDenseStack"]);
  assert.equal(denseStackKernel(h, w, 1, "gelu"), null, "an activation the kernel lacks falls back");
});

for (const act of ACTIVATIONS) {
  test(`dense stack (${act}): output and gradients equal the tfjs ops`, async () => {
    await activateTorch("cpu");
    const rng = new Rng(2);
    // A batch big enough that the kernel splits its products over threads (kSplitMacs), and one that is not.
    for (const n of [3, 700]) {
      const w = stack(rng, [6, 64, 64, 64, 2]);
      const h = tf.mul(rng.normal([n, 6]), 2) as tf.Tensor2D;
      const dy = rng.normal([n, 2]);
      const f = (useKernel: boolean) => (x: tf.Tensor, ...ws: tf.Tensor[]) => tf.sum(tf.mul(denseStack(x as tf.Tensor2D, ws, 3, act, useKernel), dy));
      close(denseStack(h, w, 3, act), denseStack(h, w, 3, act, false), `${act} n=${n} output`, TOL);
      // All at once, the input alone (a divergence's case) and the weights alone (training's case).
      const all = (k: boolean) => tf.grads(f(k))([h, ...w]);
      const [gk, gt] = [all(true), all(false)];
      gk.forEach((g, i) => close(g, gt[i], `${act} n=${n} gradient ${i}`, TOL));
      close(tf.grad((x: tf.Tensor) => f(true)(x, ...w))(h), gt[0], `${act} n=${n} input gradient alone`, TOL);
      const { grads } = tf.variableGrads(() => f(true)(h, ...w) as tf.Scalar, w);
      w.forEach((v, i) => close(grads[v.name], gt[i + 1], `${act} n=${n} weight gradient ${i} by variableGrads`, TOL));
      tf.dispose([h, dy, ...gk, ...gt, ...Object.values(grads), ...w]);
    }
  });
}

test("dense stack gradients free every tensor they do not return, a subset of weights included", async () => {
  await activateTorch("cpu");
  const w = stack(new Rng(3), [4, 16, 16, 1]);
  const h = new Rng(4).normal([32, 4]) as tf.Tensor2D;
  const loss = () => tf.sum(denseStack(h, w, 2, "silu")) as tf.Scalar;
  const round = async (vars: tf.Variable[]) => {
    const { value, grads } = tf.variableGrads(loss, vars);
    tf.dispose([value, ...Object.values(grads)]);
    await new Promise((r) => setImmediate(r));
  };
  await round(w);
  await round([w[2], w[5]]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) { await round(w); await round([w[2], w[5]]); tf.tidy(() => { tf.grad((x: tf.Tensor) => tf.sum(denseStack(x as tf.Tensor2D, w, 2, "silu")))(h); }); }
  assert.equal(tf.memory().numTensors, before);
  // Inside one tidy the gradients are freed with it, as any gradient would be.
  tf.tidy(() => { tf.variableGrads(loss, w); });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([h, ...w]);
});

test("dense stack gradient of a weight subset equals the tfjs ops", async () => {
  await activateTorch("cpu");
  const w = stack(new Rng(5), [3, 8, 8, 2]);
  const h = new Rng(6).normal([10, 3]) as tf.Tensor2D;
  const sub = [w[1], w[4]];
  const g = (k: boolean) => tf.variableGrads(() => tf.sum(tf.square(denseStack(h, w, 2, "tanh", k))) as tf.Scalar, sub).grads;
  const [a, b] = [g(true), g(false)];
  sub.forEach((v) => close(a[v.name], b[v.name], `subset gradient ${v.name}`, TOL));
});

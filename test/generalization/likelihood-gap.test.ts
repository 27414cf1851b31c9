import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { empiricalScore } from "../../src/score";

test("likelihoodGap: the empirical optimum prefers its own training points by a wide margin", async () => {
  await initBackend();
  const { likelihoodGap } = await import("../../src/generalization/likelihood-gap");
  const sde = vpSDE();
  const rng = new Rng(33);
  const train = rng.normal([8, 2]) as tf.Tensor2D; const test = rng.normal([8, 2]);
  const emp = empiricalScore(sde, train);
  const g = await likelihoodGap(emp.score, sde, train, test, { steps: 30, method: "heun" });
  // The model's density at tMin is (1/8) sum N(a x_i, s^2 I) with s ~ 0.01: at a training point log p ~ log(1/8) -
  // log(2 pi s^2) ~ +5, at a held-out point ~0.5 away it is hugely negative. Any ODE error is small beside that.
  assert.ok(g.gap > 10, `gap ${g.gap}`);
  assert.ok(Math.abs(g.gap - (g.train - g.test)) < 1e-9);
  emp.dispose(); tf.dispose([train, test]);
});

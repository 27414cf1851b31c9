import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule } from "../../src/sde";
import { otPath, vpPath } from "../../src/flow-matching/path";
import { gaussianVelocity } from "../../src/flow-matching/exact";
import { flowLogLikelihood } from "../../src/flow-matching/likelihood";

test("flowLogLikelihood of the exact velocity equals the closed-form log-density of a Gaussian target (OT and VP paths)", async () => {
  await initBackend();
  const mu = [0.5, -1, 2], cov = [[1, 0.3, 0], [0.3, 0.5, -0.1], [0, -0.1, 2]];
  const x = tf.add(new Rng(8).normal([8, 3], 0, 1.2), tf.tensor2d([mu])) as tf.Tensor2D;
  // OT: p_1 = N(0, I) exactly, so only RK4's error and float32 remain (measured 4e-5 nats at 10 steps, 2e-6 at 50).
  // VP with beta1 = 30: prior mismatch a(T)|mu||x_T| ~ 1e-2 as in test/sample/likelihood.test.ts (measured 2.7e-3
  // at 20 steps and 2.6e-3 at 50: the prior term, not the integrator).
  for (const [path, tol, steps] of [[otPath(), 1e-3, 12], [vpPath({ schedule: linearSchedule({ beta1: 30 }) }), 2e-2, 20]] as const) {
    const m = gaussianVelocity(path, mu, cov);
    const r = await flowLogLikelihood(m.velocity, path, x, { steps });
    const want = m.logDensity(x, tf.fill([8], path.tMin)).dataSync();
    r.logp.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < tol, `${path.kind} sample ${i}: ${v} vs ${want[i]}`));
    m.dispose();
  }
  await assert.rejects(flowLogLikelihood((u) => tf.zeros([1, 1]), otPath(), x, { steps: 2 }), /flowLogLikelihood: argument 'velocity' must return a tensor shaped like x/);
  x.dispose();
});

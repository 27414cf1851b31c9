import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mixtureScore } from "../../src/score/exact";
import { probabilityFlowHeun, type SampleTrajectory } from "../../src/sample";
import { otPath, sdePath } from "../../src/flow-matching/path";
import { exactVelocity, gaussianVelocity } from "../../src/flow-matching/exact";
import { sampleFlow } from "../../src/flow-matching/sample";
import { gmm2, maxAbs } from "./fixtures";

test("sampleFlow with the exact velocity is the exact transport of a Gaussian, and on the VP path it is probabilityFlowHeun", async () => {
  await initBackend();
  const mu = [1, -2], S = [0.25, 2];
  const path = otPath();
  const m = gaussianVelocity(path, mu, [[S[0], 0], [0, S[1]]]);
  const before = tf.memory().numTensors;
  const traj = await sampleFlow(m.velocity, path, { n: 32, steps: 20, rng: new Rng(1), shape: [2], method: "rk4", keepEvery: 20 }) as SampleTrajectory;
  // For a diagonal Gaussian the flow map is x_t = a mu + sqrt(a^2 S + s^2) z, z = x_1: exact at tMin.
  const { scale: a, std: s } = path.coefficientsAt(path.tMin);
  const want = tf.tidy(() => tf.add(tf.mul(tf.tensor2d([mu]), a), tf.mul(traj.states[0], tf.tensor2d([S.map((v) => Math.sqrt(a * a * v + s * s))]))));
  // RK4 with 20 steps on a smooth linear ODE: error ~1e-6; float32 rounding ~1e-6 |x|.
  assert.ok(maxAbs(traj.x, want) < 1e-4, `off by ${maxAbs(traj.x, want)}`);
  assert.deepEqual(traj.times, [1, path.tMin]);
  tf.dispose([traj.x, ...traj.states, want]);
  assert.equal(tf.memory().numTensors, before, "sampleFlow frees its intermediates");

  const sde = vpSDE();
  const gmm = gmm2();
  const fm = exactVelocity(sdePath(sde), gmm);
  const a1 = await sampleFlow(fm.velocity, sdePath(sde), { n: 64, steps: 30, rng: new Rng(2), shape: [2], method: "heun" }) as tf.Tensor;
  const a2 = await probabilityFlowHeun(mixtureScore(sde, gmm).score, sde, { n: 64, steps: 30, rng: new Rng(2), shape: [2] });
  // Same prior draws, same grid, same Heun steps: equal up to float32 rounding of two algebraically equal fields.
  assert.ok(maxAbs(a1, a2) < 1e-3, `flow vs probability flow: ${maxAbs(a1, a2)}`);
  tf.dispose([a1, a2]);
  await assert.rejects(sampleFlow(m.velocity, path, { n: 4, steps: 2, rng: new Rng(0), shape: [2], method: "midpoint" as never }), /sampleFlow: argument 'opts\.method' must be "euler", "heun" or "rk4"/);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(sampleFlow(m.velocity, path, { n: 4, steps: 2, rng: new Rng(0), shape: [2], signal: ac.signal }), (e: Error) => e.name === "AbortError");
  m.dispose(); fm.dispose();
});

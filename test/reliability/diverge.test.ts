/**
 * Training that diverges: with a huge learning rate the DSM loss overflows to Infinity/NaN within a few steps;
 * trainScore must stop with a message naming the step and the cure, and leave exactly the last weights whose
 * loss was finite (those of the step before the one that diverged), with no tensor leaked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { subVpSDE, vpSDE, veSDE } from "../../src/sde";
import { mlpScoreNet, trainScore } from "../../src/score";
import { count, report } from "./harness";

for (const [name, sde, lr] of [["vp", vpSDE(), 1e8], ["ve", veSDE(), 1e6], ["subvp", subVpSDE(), 1e10]] as const) {
  test(`trainScore with lr ${lr} (${name}): stops with a clear message and keeps the last good weights`, { timeout: 60_000 }, async () => {
    await initBackend();
    count("diverging-run");
    const model = mlpScoreNet(sde, [2], new Rng(1), { width: 32, depth: 2 });
    const data = new Rng(2).normal([64, 2]);
    // Weights after every completed step (onStep runs after the update): snapshots[s] = W_s, snapshots[0] = W_0.
    const snapshots: Float32Array[][] = [model.variables.map((v) => v.dataSync().slice() as Float32Array)];
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      await trainScore(model, data, {
        steps: 300, rng: new Rng(3), batchSize: 32, lr, ema: 0, clipNorm: Infinity,
        onStep: () => snapshots.push(model.variables.map((v) => v.dataSync().slice() as Float32Array)),
      });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Error, `lr ${lr}: training did not stop (${String(error)})`);
    const m = /^trainScore: the loss became (\S+) \(gradient norm ([^)]*)\) at step (\d+); .*restored.*opts\.lr, currently/.exec(error.message);
    assert.ok(m, error.message);
    // Either the loss or its gradient overflowed first (torch overflows the gradient of a still-finite loss).
    assert.ok(!Number.isFinite(Number(m[1])) || !Number.isFinite(Number(m[2])), error.message);
    const d = Number(m[3]);
    // Step d's loss was not finite, so the weights it ran on (W_{d-1}) are bad; the last weights with a finite
    // loss are those step d-1 ran on, W_{d-2} (or W_0 when the first step already diverged).
    const want = snapshots[Math.max(0, d - 2)];
    const got = model.variables.map((v) => v.dataSync() as Float32Array);
    got.forEach((g, k) => assert.deepEqual(Array.from(g), Array.from(want[k]), `variable ${k} is not the last good weights`));
    assert.ok(got.every((g) => g.every(Number.isFinite)));
    // And the model still answers with finite scores there.
    const s = tf.tidy(() => model.score(data, tf.fill([64], 0.5)).isFinite().all().dataSync()[0]);
    assert.equal(s, 1);
    assert.ok(tf.memory().numTensors - before <= 0, `tensors grew by ${tf.memory().numTensors - before}`);
    console.log(`[reliability] diverge ${name} lr ${lr}: stopped at step ${d}: ${error.message.slice(0, 80)}…`);
    data.dispose();
    model.dispose();
    report("diverge");
  });
}

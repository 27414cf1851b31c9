import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet } from "../../src/score/score-net";
import { trainScore } from "../../src/score/train";

test("every activation trains (fused relu/elu, separate silu/tanh): the loss of 20 steps falls", async () => {
  await initBackend();
  const data = new Rng(1).normal([64, 2]);
  for (const activation of ["silu", "relu", "tanh", "elu"] as const) {
    const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 16, depth: 2, activation });
    const { history } = await trainScore(model, data, { steps: 20, rng: new Rng(2), batchSize: 32, lr: 1e-2 });
    // N(0, I) data: the optimal eps loss is below 1 and the zero-output start is at 1 + batch noise (measured
    // 1.16 here); every activation reached 0.68-0.95 by step 20.
    assert.ok(history.at(-1)! < history[0], `${activation}: ${history[0]} -> ${history.at(-1)}`);
    model.dispose();
  }
  tf.dispose(data);
});

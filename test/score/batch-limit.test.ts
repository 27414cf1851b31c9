import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { mlpScoreNet, trainScore } from "../../src/score";

test("trainScore refuses batchSize x row size past 2^26 elements; 10,000 x 784 is accepted", async () => {
  await initBackend();
  const model = mlpScoreNet(vpSDE(), [2], new Rng(0), { width: 8, depth: 1 });
  const data = tf.zeros([4, 2]);
  try {
    await assert.rejects(trainScore(model, data, { steps: 1, rng: new Rng(1), batchSize: 1e12 }), /trainScore: argument 'opts.batchSize' gives 2000000000000 elements per batch/);
  } finally { model.dispose(); data.dispose(); }
  // An MNIST-sized batch passes validation: an already aborted signal stops it before the first step.
  const big = mlpScoreNet(vpSDE(), [784], new Rng(0), { width: 8, depth: 1 });
  const rows = tf.zeros([8, 784]);
  const ac = new AbortController();
  ac.abort();
  try {
    const r = await trainScore(big, rows, { steps: 1, rng: new Rng(1), batchSize: 10_000, signal: ac.signal });
    assert.equal(r.stopped, true);
  } finally { big.dispose(); rows.dispose(); }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { embedTime, makeEmbedding } from "../../src/score/time-embedding";

test("time embeddings: fourier and sinusoidal have sin/cos pairs (sin^2 + cos^2 = 1) and reject odd sizes", async () => {
  await initBackend();
  for (const kind of ["fourier", "sinusoidal"] as const) {
    const cfg = makeEmbedding(kind, 8, new Rng(0));
    const e = embedTime(cfg, tf.tensor1d([0, 0.3, 1])).arraySync() as number[][];
    for (const row of e) for (let k = 0; k < 4; k++) assert.ok(Math.abs(row[k] ** 2 + row[k + 4] ** 2 - 1) < 1e-5);
  }
  assert.throws(() => makeEmbedding("fourier", 7, new Rng(0)), /makeEmbedding: argument 'dim' must be even/);
});

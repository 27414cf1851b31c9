import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ExactScoreModel } from "../../../src/score/exact/common";

/** Asserts that repeated score (and logDensity) calls of a 2-D exact model leave no tensor behind; disposes it. */
export function assertNoLeak(m: ExactScoreModel): void {
  const x = tf.ones([10, 2]), t = tf.fill([10], 0.5);
  tf.dispose(m.score(x, t));
  const before = tf.memory().numTensors;
  for (let k = 0; k < 5; k++) { tf.dispose(m.score(x, t)); if (m.logDensity) tf.dispose(m.logDensity(x, t)); }
  assert.equal(tf.memory().numTensors, before);
  m.dispose();
  tf.dispose([x, t]);
}

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { mixtureScore } from "../../src/score/exact";
import { otPath, vpPath } from "../../src/flow-matching/path";
import { exactVelocity } from "../../src/flow-matching/exact";
import { scoreFromVelocity, velocityFromScore } from "../../src/flow-matching/convert";
import { gmm2, maxAbs } from "./fixtures";

test("velocity <-> score conversion is exact both ways on a 2-D mixture, and the VP path's score is mixtureScore's", async () => {
  await initBackend();
  const gmm = gmm2();
  const x = new Rng(4).normal([64, 2], 0, 2);
  for (const path of [otPath(), vpPath()]) {
    const m = exactVelocity(path, gmm);
    // Times with a > 0, where velocityFromScore is defined (it divides by a); the VP path stops at T = 1 with a > 0.
    const t = new Rng(5).uniform([64], path.tMin, path.kind === "ot" ? 0.95 : path.T);
    const v = m.velocity(x, t), s = m.score(x, t);
    const vFromS = velocityFromScore(m.score, path)(x, t), sFromV = scoreFromVelocity(m.velocity, path)(x, t);
    const scaleV = tf.max(tf.abs(v)).dataSync()[0], scaleS = tf.max(tf.abs(s)).dataSync()[0];
    // The two closed forms share only the responsibilities; float32 rounding relative to the largest entry.
    assert.ok(maxAbs(vFromS, v) < 1e-4 * scaleV, `${path.kind}: velocityFromScore off by ${maxAbs(vFromS, v)}`);
    assert.ok(maxAbs(sFromV, s) < 1e-4 * scaleS, `${path.kind}: scoreFromVelocity off by ${maxAbs(sFromV, s)}`);
    if (path.sde) {
      const ref = mixtureScore(path.sde, gmm).score(x, t);
      assert.ok(maxAbs(ref, s) < 1e-5 * scaleS, "the SDE path's marginal is the SDE's");
      ref.dispose();
    }
    tf.dispose([t, v, s, vFromS, sFromV]);
    m.dispose();
  }
  x.dispose();
  assert.throws(() => velocityFromScore(null as never, otPath()), /velocityFromScore: argument 'score' must be a function/);
});

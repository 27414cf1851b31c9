// The argument checks every exact score shares (src/score/exact/common.ts): each names the function, the argument
// and the shape or kind expected.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/tensor";
import { vpSDE } from "../../../src/sde";
import { checkCall, checkSDE } from "../../../src/score/exact/common";

test("checkSDE passes an SDE through and names the function for anything else", () => {
  const sde = vpSDE();
  assert.equal(checkSDE(sde, "f"), sde);
  for (const bad of [{}, null, 3, { marginal: () => 0 }]) {
    assert.throws(() => checkSDE(bad, "f"), { message: "f: argument 'sde' must be an SDE (from vpSDE, veSDE, subVpSDE or makeSDE)" });
  }
});

test("checkCall wants x [n, d] and one time per row", async () => {
  await initBackend();
  const x = tf.zeros([3, 2]), t = tf.zeros([3]), t2 = tf.zeros([3, 1]), x1 = tf.zeros([3]);
  assert.doesNotThrow(() => checkCall(x, t, 2, "f"));
  assert.throws(() => checkCall(x, t, 3, "f"), { message: "f: argument 'x' must have shape [n, 3], got [3,2]" });
  assert.throws(() => checkCall(x1, t, 2, "f"), { message: "f: argument 'x' must have shape [n, 2], got [3]" });
  assert.throws(() => checkCall(x, t2, 2, "f"), { message: "f: argument 't' must have shape [3] (one time per row), got [3,1]" });
  assert.throws(() => checkCall([[0, 0]] as never, t, 2, "f"), /^Error: f: argument 'x' must be a tf.Tensor/);
  tf.dispose([x, t, t2, x1]);
});

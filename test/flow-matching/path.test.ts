import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { veSDE, vpSDE } from "../../src/sde";
import { otPath, sdePath } from "../../src/flow-matching/path";

test("path coefficients: OT values, and an SDE path's a', s' are the time derivatives of its marginal", async () => {
  await initBackend();
  assert.deepEqual(otPath().coefficientsAt(0.25), { scale: 0.75, std: 0.25, dScale: -1, dStd: 1 });
  const lip = otPath({ sigmaMin: 0.1 }).coefficientsAt(0);
  assert.ok(Math.abs(lip.std - 0.1) < 1e-15 && Math.abs(lip.dStd - 0.9) < 1e-15);
  for (const sde of [vpSDE(), veSDE({ sigmaMax: 5 })]) {
    const path = sdePath(sde);
    for (const t of [0.05, 0.3, 0.8]) {
      const c = path.coefficientsAt(t);
      const h = 1e-5, up = sde.marginalAt(t + h), dn = sde.marginalAt(t - h);
      // Central differences in float64: truncation ~h^2 |f'''|, rounding ~1e-16 / h; 1e-6 relative covers both.
      assert.ok(Math.abs(c.dScale - (up.scale - dn.scale) / (2 * h)) < 1e-6 * Math.max(1, Math.abs(c.dScale)), `${sde.kind} a' at ${t}`);
      assert.ok(Math.abs(c.dStd - (up.std - dn.std) / (2 * h)) < 1e-6 * Math.max(1, Math.abs(c.dStd)), `${sde.kind} s' at ${t}`);
      const ct = path.coefficients(tf.tensor1d([t]));
      for (const k of ["scale", "std", "dScale", "dStd"] as const) {
        assert.ok(Math.abs(ct[k].dataSync()[0] - c[k]) < 1e-5 * Math.max(1, Math.abs(c[k])), `${sde.kind} tensor ${k} at ${t}`);
      }
      tf.dispose(Object.values(ct));
    }
  }
  assert.throws(() => otPath({ sigmaMin: 1 }), /otPath: argument 'opts\.sigmaMin' must be < 1/);
  assert.throws(() => sdePath({} as never), /sdePath: argument 'sde' must be an SDE/);
});

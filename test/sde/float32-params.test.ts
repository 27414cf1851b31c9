import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { linearSchedule, subVpSDE, userSchedule, veSDE, vpSDE } from "../../src/sde";

/** The marginal std and scale at tMin and T, as float32 tensors give them. */
function marginalEnds(sde: ReturnType<typeof veSDE>): number[] {
  return tf.tidy(() => { const m = sde.marginal(tf.tensor1d([sde.tMin, sde.T])); return [...m.scale.dataSync(), ...m.std.dataSync()]; });
}

test("veSDE refuses sigmas whose float32 marginal would be NaN or Infinity (sigmaMin = 5e-256 gave NaN std)", async () => {
  await initBackend();
  assert.throws(() => veSDE({ sigmaMin: 5e-256 }), /geometricSchedule: argument 'sigmaMin' must be >= 1e-18/);
  assert.throws(() => veSDE({ sigmaMax: 1e30 }), /argument 'sigmaMax' must be <= 1000000000000000000/);
  assert.throws(() => veSDE({ sigmaMin: 1e-10, sigmaMax: 1e10 }), /sigmaMax' \/ sigmaMin must be <= 1e18/);
  assert.throws(() => veSDE({ schedule: userSchedule({ beta: () => 1e300, integral: (t) => 1e300 * t }) }), /veSDE: argument 'schedule' gives a marginal variance/);
  assert.throws(() => vpSDE({ schedule: userSchedule({ beta: () => 1, integral: () => NaN }) }), /vpSDE: argument 'schedule' gives a marginal variance/);
  assert.throws(() => linearSchedule({ beta1: 1e300 }), /linearSchedule: argument 'beta1' must be <= 1e\+30/);
  // The extremes that are accepted give finite marginals and a finite prior (checked in float32, as used).
  for (const sde of [veSDE({ sigmaMin: 1e-18, sigmaMax: 1 }), veSDE({ sigmaMin: 1, sigmaMax: 1e18 }), vpSDE({ T: 1e6 }), subVpSDE({ tMin: 1e-30 })]) {
    assert.ok(marginalEnds(sde).every(Number.isFinite), `${sde.kind}: ${marginalEnds(sde)}`);
    const p = sde.prior(2, [2], new Rng(0));
    assert.ok(Array.from(p.dataSync()).every(Number.isFinite));
    p.dispose();
  }
});

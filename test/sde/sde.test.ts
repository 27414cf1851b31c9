import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { cosineSchedule, exponentialSchedule, linearSchedule, makeSDE, subVpSDE, userSchedule, veSDE, vpSDE } from "../../src/sde";
import type { SDE } from "../../src/sde";

// The table of PAPERS.md, written out independently: B(t) = 0.1 t + 9.95 t^2 for the linear schedule.
const B = (t: number) => 0.1 * t + 9.95 * t * t;

test("marginals of VP, sub-VP and VE match the table of PAPERS.md", async () => {
  await initBackend();
  const vp = vpSDE(), sub = subVpSDE(), ve = veSDE({ sigmaMin: 0.01, sigmaMax: 50 });
  for (const t of [0.001, 0.1, 0.5, 1]) {
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what} at t=${t}: ${a} vs ${b}`);
    close(vp.marginalAt(t).scale, Math.exp(-B(t) / 2), "VP scale");
    close(vp.marginalAt(t).std ** 2, 1 - Math.exp(-B(t)), "VP var");
    close(sub.marginalAt(t).scale, Math.exp(-B(t) / 2), "sub-VP scale");
    close(sub.marginalAt(t).std ** 2, (1 - Math.exp(-B(t))) ** 2, "sub-VP var");
    close(ve.marginalAt(t).scale, 1, "VE scale");
    const sigma = 0.01 * 5000 ** t;
    close(ve.marginalAt(t).std ** 2, sigma * sigma - 1e-4, "VE var");
    close(vp.diffusionAt(t), Math.sqrt(0.1 + 19.9 * t), "VP g");
    close(sub.diffusionAt(t), Math.sqrt((0.1 + 19.9 * t) * (1 - Math.exp(-2 * B(t)))), "sub-VP g");
    close(ve.diffusionAt(t), sigma * Math.sqrt(2 * Math.log(5000)), "VE g");
    close(vp.driftCoefAt(t), -(0.1 + 19.9 * t) / 2, "VP drift");
    close(ve.driftCoefAt(t), 0, "VE drift");
  }
});

test("marginals solve the moment ODEs of their drift and diffusion (da/dt = c a, dv/dt = 2 c v + g^2)", () => {
  const sdes: SDE[] = [vpSDE(), subVpSDE(), veSDE(), vpSDE({ schedule: cosineSchedule() }), subVpSDE({ schedule: exponentialSchedule({ a: 3 }) })];
  for (const sde of sdes) {
    for (const t of [0.05, 0.3, 0.6, 0.85]) {
      const e = 1e-5;
      const p = sde.marginalAt(t + e), m = sde.marginalAt(t - e), o = sde.marginalAt(t);
      const c = sde.driftCoefAt(t), g = sde.diffusionAt(t);
      // Central differences have error O(e^2 * third derivative): relative 1e-6 is ample.
      const da = (p.scale - m.scale) / (2 * e);
      const dv = (p.std ** 2 - m.std ** 2) / (2 * e);
      const rhsV = 2 * c * o.std ** 2 + g * g;
      assert.ok(Math.abs(da - c * o.scale) <= 1e-6 * Math.max(1, Math.abs(da)), `${sde.describe()} da/dt at ${t}`);
      assert.ok(Math.abs(dv - rhsV) <= 1e-6 * Math.max(1, Math.abs(rhsV)), `${sde.describe()} dv/dt at ${t}: ${dv} vs ${rhsV}`);
    }
  }
});

test("tensor marginal, drift and diffusion agree with the scalar versions", () => {
  for (const sde of [vpSDE(), subVpSDE(), veSDE()]) {
    const ts = [0.001, 0.25, 0.9];
    const t = tf.tensor1d(ts);
    const x = tf.tensor2d([[1, -2], [0.5, 3], [-1, 0]]);
    const { scale, std } = sde.marginal(t);
    const g = sde.diffusion(t);
    const f = sde.drift(x, t);
    const [sa, sd, ga, fa] = [scale.dataSync(), std.dataSync(), g.dataSync(), f.dataSync()];
    ts.forEach((u, i) => {
      const m = sde.marginalAt(u);
      const rel = (a: number, b: number) => Math.abs(a - b) <= 2e-5 * Math.max(1, Math.abs(b));
      assert.ok(rel(sa[i], m.scale) && rel(sd[i], m.std), `${sde.kind} marginal at ${u}`);
      assert.ok(rel(ga[i], sde.diffusionAt(u)), `${sde.kind} g at ${u}`);
      assert.ok(rel(fa[2 * i + 1], sde.driftCoefAt(u) * x.arraySync()[i][1]), `${sde.kind} drift at ${u}`);
    });
    tf.dispose([t, x, scale, std, g, f]);
  }
});

test("prior samples have the prior's variance, and priorLogProb is its Gaussian log-density", () => {
  const ve = veSDE({ sigmaMax: 20 });
  const x = ve.prior(20000, [2], new Rng(3));
  const v = tf.tidy(() => tf.mean(tf.square(x)).dataSync()[0]);
  // Relative standard error of a variance estimate from 40000 numbers: sqrt(2/40000) = 0.007; allow 5 of them.
  assert.ok(Math.abs(v / (400 - 1e-4) - 1) < 0.035, `VE prior variance ${v}`);
  const y = tf.tensor2d([[0, 0], [1, 2]]);
  const lp = vpSDE().priorLogProb(y).dataSync();
  assert.ok(Math.abs(lp[0] + Math.log(2 * Math.PI)) < 1e-5 && Math.abs(lp[1] + Math.log(2 * Math.PI) + 2.5) < 1e-5);
  tf.dispose([x, y]);
});

test("bad SDE arguments throw errors that name the problem", () => {
  assert.throws(() => vpSDE({ tMin: 1, T: 1 }), /vpSDE: argument 'tMin' must be smaller than T/);
  assert.throws(() => veSDE({ tMin: 2 }), /veSDE: argument 'tMin'/);
  assert.throws(() => vpSDE({ T: -1 }), /vpSDE: argument 'T'/);
  assert.throws(() => subVpSDE({ tMin: -0.1 }), /subVpSDE: argument 'tMin'/);
  assert.throws(() => veSDE({ sigmaMin: 5, sigmaMax: 1 }), /argument 'sigmaMax'/);
  assert.throws(() => vpSDE({ sigmaMax: 3 }), /vpSDE: argument 'sigmaMin'/);
  assert.throws(() => makeSDE("vx" as never), /makeSDE: argument 'kind' must be one of vp, ve, subvp/);
  assert.throws(() => vpSDE({ schedule: {} as never }), /vpSDE: argument 'schedule'/);
  assert.throws(() => vpSDE().marginal(tf.zeros([2, 2])), /SDE.marginal: argument 't'/);
  assert.equal(makeSDE("subvp").kind, "subvp");
  assert.match(makeSDE("ve").describe(), /VE SDE/);
});

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

test("the VE and exponential-schedule marginals in float32 agree with float64 at t = 1e-5 (expm1)", async () => {
  await initBackend();
  const t = tf.tensor1d([1e-5, 1e-3, 0.5]);
  for (const sde of [veSDE(), vpSDE({ schedule: exponentialSchedule({ a: 4 }) })]) {
    const std = sde.marginal(t).std.arraySync() as number[];
    [1e-5, 1e-3, 0.5].forEach((u, i) => {
      const want = sde.marginalAt(u).std;
      // float32 keeps 6e-8 relative per operation; a few operations stay under 1e-6. e^x - 1 gave 2.4e-5 at 1e-5.
      assert.ok(Math.abs(std[i] / want - 1) < 1e-6, `${sde.describe()} t=${u}: ${std[i]} vs ${want}`);
    });
  }
  t.dispose();
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { cosineSchedule, exponentialSchedule, makeSDE, subVpSDE, veSDE, vpSDE } from "../../src/sde";
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

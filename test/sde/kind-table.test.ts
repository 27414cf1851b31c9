// The SDE kinds as table rows (src/sde/kind-table.ts, issue 18): makeSDE, the magics' --sde choices and the SDE's
// scalar and tensor forms all read the same row, and each row keeps the closed forms of Song et al. 2021 (App. B).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { SDE_KIND_NAMES, SDE_KIND_TABLE, makeSDE, linearSchedule } from "../../src/sde";
import { findMagic } from "../../src/magics";

test("every row builds an SDE whose scalar and tensor forms agree, with the kind's closed forms", async () => {
  await initBackend();
  assert.deepEqual(SDE_KIND_NAMES, ["vp", "ve", "subvp"]);
  const s = linearSchedule();
  for (const name of SDE_KIND_NAMES) {
    const sde = makeSDE(name, { schedule: s });
    assert.equal(sde.kind, name);
    assert.match(sde.describe(), new RegExp(`^${SDE_KIND_TABLE[name].label} SDE`));
    const ts = [0.1, 0.5, 0.9];
    const t = tf.tensor1d(ts);
    const m = sde.marginal(t), g = sde.diffusion(t);
    const x = tf.ones([3, 2]);
    const f = sde.drift(x, t);
    const [sc, sd, gv, fv] = [m.scale, m.std, g, f].map((v) => v.dataSync());
    ts.forEach((ti, i) => {
      const B = s.integral(ti), beta = s.beta(ti);
      // Song et al. 2021, App. B: the marginals and coefficients in closed form for each kind.
      const want = name === "ve" ? { a: 1, s: Math.sqrt(B), c: 0, g2: beta }
        : name === "vp" ? { a: Math.exp(-B / 2), s: Math.sqrt(1 - Math.exp(-B)), c: -beta / 2, g2: beta }
        : { a: Math.exp(-B / 2), s: 1 - Math.exp(-B), c: -beta / 2, g2: beta * (1 - Math.exp(-2 * B)) };
      // float32 tensors against float64 closed forms: 1e-5 relative.
      for (const [got, exp] of [[sc[i], want.a], [sd[i], want.s], [gv[i] ** 2, want.g2], [fv[2 * i], want.c]]) assert.ok(Math.abs(got - exp) <= 1e-5 * Math.max(1, Math.abs(exp)), `${name} t=${ti}: ${got} vs ${exp}`);
      const at = sde.marginalAt(ti);
      assert.ok(Math.abs(at.scale - want.a) < 1e-12 && Math.abs(at.std - want.s) < 1e-12 && Math.abs(sde.driftCoefAt(ti) - want.c) < 1e-12);
      assert.ok(Math.abs(sde.diffusionAt(ti) ** 2 - want.g2) < 1e-12);
    });
    tf.dispose([t, m.scale, m.std, g, x, f]);
  }
});

test("the magics offer the table's kinds, and an unknown kind is one error listing them", () => {
  for (const magic of ["train_score", "load_model"]) {
    const opt = findMagic(magic)!.options.find((o) => o.flags.startsWith("--sde"));
    assert.deepEqual(opt?.choices, SDE_KIND_NAMES, magic);
  }
  assert.throws(() => makeSDE("edm" as never), /makeSDE: argument 'kind' must be one of vp, ve, subvp, got "edm"/);
});

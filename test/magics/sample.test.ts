/**
 * %sample through the real kernel executor, in process, on small sizes: every sampler on every grid, the figure over
 * the training data, its help, class labels and guidance as the library draws them, and bad values.
 * (Moved from test/magics/score-magics.test.ts and test/magics/toolkit-magics.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runCell } from "../kernel/session";
import { figures, KEPT, MODEL, MOONS, oneLineErrors, run, sessionWith, traces } from "./fixtures";

const session = sessionWith(KEPT, MOONS, MODEL);

test("%sample with em, heun, pc and ddim: [64, 2] finite samples shown over the training data", async () => {
  const ex = await session();
  for (const sampler of ["em", "heun", "pc", "ddim"]) {
    const s = await run(ex, `%sample --model model --n 64 --steps 10 --sampler ${sampler} --seed 3 --as xs_${sampler}`);
    const xs = ex.locals[`xs_${sampler}`] as tf.Tensor;
    assert.deepEqual(xs.shape, [64, 2], sampler);
    assert.ok(Array.from(xs.dataSync()).every(Number.isFinite), sampler);
    const f = figures(s);
    assert.equal(f.length, 1);
    // Samples over the model's training data: two clouds, the training set first.
    assert.deepEqual(traces(f[0]).map((t) => t.x?.length), [256, 64]);
  }
});

test("%sample with each newer sampler on each grid, from an EDM-parameterised model", async () => {
  const ex = await session();
  assert.deepEqual((await runCell(ex, "%dataset gmm8 --n 128 --seed 1 --as d")).errors, []);
  const tr = await runCell(ex, "%train_score --data d --param edm --noise lognormal --steps 5 --width 16 --depth 1 --batch 32 --seed 0 --no-plot --as m");
  assert.deepEqual(tr.errors, []);
  for (const sampler of ["edm", "edm_churn", "euler_a", "ddpm", "dpmpp_2m", "dpmpp_2s"]) for (const grid of ["uniform", "karras", "logsnr"]) {
    const r = await runCell(ex, `%sample --model m --n 8 --steps 3 --sampler ${sampler} --grid ${grid} --seed 1 --no-plot --as x`);
    assert.deepEqual(r.errors, [], `${sampler} ${grid}`);
    assert.match(r.out, new RegExp(`3 steps on the ${grid} grid`));
    const x = ex.locals.x as tf.Tensor;
    assert.deepEqual(x.shape, [8, 2]);
    assert.ok(Array.from(x.dataSync()).every(Number.isFinite));
  }
  const bad = await runCell(ex, "%sample --model m --n 8 --steps 3 --sampler dpm3 --no-plot");
  assert.match(bad.errors[0]?.evalue ?? "", /--sampler/);
  const badGrid = await runCell(ex, "%sample --model m --n 8 --steps 3 --grid cosine --no-plot");
  assert.match(badGrid.errors[0]?.evalue ?? "", /--grid/);
});

test("%lsmagic's line for %sample and %sample? show the grids and samplers", async () => {
  const ex = await session();
  const ls = await runCell(ex, "%lsmagic");
  assert.match(ls.out, /sample .*dpmpp_2m/);
  const sh = await runCell(ex, "%sample?");
  for (const w of ["--grid", "karras", "logsnr", "--rho", "edm_churn", "euler_a", "ddpm", "dpmpp_2m", "dpmpp_2s"]) assert.ok(sh.out.includes(w), `%sample? lacks ${w}`);
});

test("%sample --label --guidance: the class score and classifier-free guidance of a conditional model, as the library draws them", async () => {
  const ex = await session();
  const setup = await runCell(ex, "const cm = lab.mlpScoreNet(lab.vpSDE(), [2], new lab.Rng(0), { width: 16, depth: 1, classes: 3 }); cm.net.variables.forEach((v, i) => v.assign(new lab.Rng(10 + i).normal(v.shape, 0, 0.5)));");
  assert.deepEqual(setup.errors, []);
  const r = await runCell(ex, "%sample --model cm --label 2 --guidance 1.5 --n 6 --steps 4 --sampler dpmpp_2m --seed 3 --no-plot --as xg");
  assert.deepEqual(r.errors, []);
  // The same draw through the library: the magic adds nothing to the score.
  const lib = await runCell(ex, "const xl = await lab.dpmSolver2M(lab.guidance.cfgScore(cm, 2, { scale: 1.5 }), cm.sde, { n: 6, steps: 4, rng: new lab.Rng(3), shape: [2] });");
  assert.deepEqual(lib.errors, []);
  assert.deepEqual(Array.from((ex.locals.xg as tf.Tensor).dataSync()), Array.from((ex.locals.xl as tf.Tensor).dataSync()));
  const plain = await runCell(ex, "%sample --model cm --label 2 --n 6 --steps 4 --sampler dpmpp_2m --seed 3 --no-plot --as xc");
  assert.deepEqual(plain.errors, []);
  assert.notDeepEqual(Array.from((ex.locals.xc as tf.Tensor).dataSync()), Array.from((ex.locals.xg as tf.Tensor).dataSync()), "guidance changes the draw");
  for (const [cell, re] of [["%sample --model cm --label 7 --n 4 --steps 2 --no-plot", /label/], ["%sample --model cm --guidance 2 --n 4 --steps 2 --no-plot", /--guidance needs --label/]] as [string, RegExp][]) {
    const bad = await runCell(ex, cell);
    assert.match(bad.errors[0]?.evalue ?? "", re, cell);
  }
});

test("%sample: bad values give one-line errors and leave the session usable", async () => {
  const ex = await session();
  await oneLineErrors(ex, [
    ["%sample --model moons", /must be a score model/],
    ["%sample --model nosuch", /is not a notebook variable/],
    ["%sample --model moons --sampler xx", /xx/],
  ]);
});

/**
 * %train_score --param/--noise and %sample --sampler/--grid through the real kernel executor, and the new choices
 * in %lsmagic, %sample? and %train_score?.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runCell, sharedSession } from "../kernel/session";

const run = runCell;

const session = sharedSession();

test("%train_score --param edm --noise lognormal, then %sample with each new sampler on each grid", async () => {
  const ex = await session();
  assert.deepEqual((await run(ex, "%dataset gmm8 --n 128 --seed 1 --as d")).errors, []);
  const tr = await run(ex, "%train_score --data d --param edm --noise lognormal --steps 5 --width 16 --depth 1 --batch 32 --seed 0 --no-plot --as m");
  assert.deepEqual(tr.errors, []);
  assert.match(tr.out, /edm parameterisation/);
  assert.equal((ex.locals.m as { config: { param: string } }).config.param, "edm");
  for (const sampler of ["edm", "edm_churn", "euler_a", "ddpm", "dpmpp_2m", "dpmpp_2s"]) for (const grid of ["uniform", "karras", "logsnr"]) {
    const r = await run(ex, `%sample --model m --n 8 --steps 3 --sampler ${sampler} --grid ${grid} --seed 1 --no-plot --as x`);
    assert.deepEqual(r.errors, [], `${sampler} ${grid}`);
    assert.match(r.out, new RegExp(`3 steps on the ${grid} grid`));
    const x = ex.locals.x as tf.Tensor;
    assert.deepEqual(x.shape, [8, 2]);
    assert.ok(Array.from(x.dataSync()).every(Number.isFinite));
  }
  const bad = await run(ex, "%sample --model m --n 8 --steps 3 --sampler dpm3 --no-plot");
  assert.match(bad.errors[0]?.evalue ?? "", /--sampler/);
  const badGrid = await run(ex, "%sample --model m --n 8 --steps 3 --grid cosine --no-plot");
  assert.match(badGrid.errors[0]?.evalue ?? "", /--grid/);
  const badParam = await run(ex, "%train_score --data d --param score --steps 2 --no-plot");
  assert.match(badParam.errors[0]?.evalue ?? "", /--param/);
});

test("%lsmagic, %sample? and %train_score? show the new choices", async () => {
  const ex = await session();
  const ls = await run(ex, "%lsmagic");
  assert.match(ls.out, /sample .*dpmpp_2m/);
  const sh = await run(ex, "%sample?");
  for (const w of ["--grid", "karras", "logsnr", "--rho", "edm_churn", "euler_a", "ddpm", "dpmpp_2m", "dpmpp_2s"]) assert.ok(sh.out.includes(w), `%sample? lacks ${w}`);
  const th = await run(ex, "%train_score?");
  for (const w of ["--param", "x0", "edm", "--noise", "lognormal"]) assert.ok(th.out.includes(w), `%train_score? lacks ${w}`);
});

test("%sample --label --guidance: the class score and classifier-free guidance of a conditional model, as the library draws them", async () => {
  const ex = await session();
  const setup = await run(ex, "const cm = lab.mlpScoreNet(lab.vpSDE(), [2], new lab.Rng(0), { width: 16, depth: 1, classes: 3 }); cm.net.variables.forEach((v, i) => v.assign(new lab.Rng(10 + i).normal(v.shape, 0, 0.5)));");
  assert.deepEqual(setup.errors, []);
  const r = await run(ex, "%sample --model cm --label 2 --guidance 1.5 --n 6 --steps 4 --sampler dpmpp_2m --seed 3 --no-plot --as xg");
  assert.deepEqual(r.errors, []);
  // The same draw through the library: the magic adds nothing to the score.
  const lib = await run(ex, "const xl = await lab.dpmSolver2M(lab.guidance.cfgScore(cm, 2, { scale: 1.5 }), cm.sde, { n: 6, steps: 4, rng: new lab.Rng(3), shape: [2] });");
  assert.deepEqual(lib.errors, []);
  assert.deepEqual(Array.from((ex.locals.xg as tf.Tensor).dataSync()), Array.from((ex.locals.xl as tf.Tensor).dataSync()));
  const plain = await run(ex, "%sample --model cm --label 2 --n 6 --steps 4 --sampler dpmpp_2m --seed 3 --no-plot --as xc");
  assert.deepEqual(plain.errors, []);
  assert.notDeepEqual(Array.from((ex.locals.xc as tf.Tensor).dataSync()), Array.from((ex.locals.xg as tf.Tensor).dataSync()), "guidance changes the draw");
  for (const [cell, re] of [["%sample --model cm --label 7 --n 4 --steps 2 --no-plot", /label/], ["%sample --model cm --guidance 2 --n 4 --steps 2 --no-plot", /--guidance needs --label/]] as [string, RegExp][]) {
    const bad = await run(ex, cell);
    assert.match(bad.errors[0]?.evalue ?? "", re, cell);
  }
});

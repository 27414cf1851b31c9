/**
 * %train_score through the real kernel executor, in process, on small sizes: the model it binds, its progress bar
 * and loss curve, interrupt, the EDM parameterisation and noise, its help, and bad values.
 * (Moved from test/magics/score-magics.test.ts and test/magics/toolkit-magics.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runCell } from "../kernel/session";
import { figures, KEPT, MOONS, oneLineErrors, run, sessionWith, traces } from "./fixtures";

const session = sessionWith(KEPT, MOONS);

test("%train_score binds a model with its history, shows a progress bar to 30/30 and one small loss curve", async () => {
  const ex = await session();
  const tr = await run(ex, "%train_score --data moons --steps 30 --width 32 --depth 2 --batch 64 --seed 0 --as model");
  const model = ex.locals.model as { training: { history: number[]; steps: number; stopped: boolean }; shape: number[] };
  assert.equal(model.training.history.length, 30);
  assert.ok(model.training.history.every(Number.isFinite));
  assert.equal(model.training.stopped, false);
  assert.deepEqual(model.shape, [2]);
  assert.ok(tr.displays.some((d) => d.id?.startsWith("scorelab-progress") && /30\/30/.test(String(d.bundle["text/plain"]))), "progress bar reached 30/30");
  const curve = figures(tr);
  assert.equal(curve.length, 1);
  assert.equal(traces(curve[0])[0].x?.length, 30);
  assert.ok(String(curve[0].bundle["text/html"]).length < 1e5, "nor does a later one");
});

test("interrupt during %train_score stops early, keeps the model and the variables", async () => {
  const ex = await session();
  // As the kernel's SIGINT handler does, from outside the running cell.
  const timer = setTimeout(() => ex.interrupt(), 600);
  const t0 = Date.now();
  const c = await run(ex, "%train_score --data moons --steps 1000000 --width 16 --depth 2 --batch 32 --as m");
  clearTimeout(timer);
  assert.ok(Date.now() - t0 < 20000, "training stopped soon after the interrupt");
  const m = ex.locals.m as { training: { history: number[]; steps: number; stopped: boolean; total: number } };
  assert.equal(m.training.stopped, true);
  assert.ok(m.training.steps > 0 && m.training.steps < 1000000, `stopped at ${m.training.steps}`);
  assert.equal(m.training.history.length, m.training.steps);
  assert.match(c.out, new RegExp(`interrupted at step ${m.training.steps} of 1000000`));
  const s = await run(ex, "%sample --model m --n 32 --steps 5 --no-plot --as ys\nys.shape.join(',') + ' ' + (kept + 1)");
  assert.equal(s.errors.length, 0);
  assert.deepEqual((ex.locals.ys as tf.Tensor).shape, [32, 2]);
  assert.equal(ex.locals.kept, 41);
  assert.equal((ex.locals.moons as { x: tf.Tensor }).x.isDisposed, false);
});

test("%train_score --param edm --noise lognormal; --param score is refused", async () => {
  const ex = await session();
  assert.deepEqual((await runCell(ex, "%dataset gmm8 --n 128 --seed 1 --as d")).errors, []);
  const tr = await runCell(ex, "%train_score --data d --param edm --noise lognormal --steps 5 --width 16 --depth 1 --batch 32 --seed 0 --no-plot --as m");
  assert.deepEqual(tr.errors, []);
  assert.match(tr.out, /edm parameterisation/);
  assert.equal((ex.locals.m as { config: { param: string } }).config.param, "edm");
  const badParam = await runCell(ex, "%train_score --data d --param score --steps 2 --no-plot");
  assert.match(badParam.errors[0]?.evalue ?? "", /--param/);
});

test("%train_score? shows the parameterisations and noise choices", async () => {
  const ex = await session();
  const th = await runCell(ex, "%train_score?");
  for (const w of ["--param", "x0", "edm", "--noise", "lognormal"]) assert.ok(th.out.includes(w), `%train_score? lacks ${w}`);
});

test("%train_score: bad values give one-line errors and leave the session usable", async () => {
  const ex = await session();
  await oneLineErrors(ex, [
    ["%train_score --data nosuch --steps 2", /--data 'nosuch' is not a notebook variable/],
    ["%train_score --data kept --steps 2", /must be a tensor \[n, \.\.\.\] or a dataset/],
    ["%train_score --steps 2", /--data is required/],
    ["%train_score --data moons --sde xx", /xx/],
    ["%train_score --data moons --steps 0", /positive integer/],
    ["%train_score --data moons --steps 2 --lr -1", /lr/],
    ["%train_score --data moons --steps 2 --net unet", /unet|shape/i],
  ]);
});

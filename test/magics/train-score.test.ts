/**
 * %dataset, %train_score, %sample and %plot through the real kernel executor, in process, on small sizes:
 * bindings, shapes, display bundles, figures without inlined plotly.js, interrupt during training, errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createKernelExecutor, CellError, CellSink, KernelExecutor } from "../../kernel/executor";
import { sharedSession } from "../kernel/session";
import { PLOTLY_MIME } from "../../src/plot";
import type { MimeBundle } from "../../src/magics";

interface Captured { out: string; displays: { bundle: MimeBundle; id?: string; update?: boolean }[]; errors: CellError[] }

function capture(): { sink: CellSink; got: Captured } {
  const got: Captured = { out: "", displays: [], errors: [] };
  const sink: CellSink = {
    stream: (_n, t) => { got.out += t; },
    display: (bundle, id, update) => got.displays.push({ bundle, id, update }),
    result: () => {},
    error: (e) => got.errors.push(e),
  };
  return { sink, got };
}

async function run(ex: KernelExecutor, code: string): Promise<Captured> {
  const { sink, got } = capture();
  const err = await ex.execute(code, sink);
  assert.equal(err, null, `${code}: ${err?.evalue}`);
  return got;
}

const figures = (c: Captured) => c.displays.filter((d) => d.bundle[PLOTLY_MIME] !== undefined);
const traces = (d: { bundle: MimeBundle }) => (d.bundle[PLOTLY_MIME] as { data: { name?: string; x?: number[] }[] }).data;

// One executor for the three tests (a preload costs seconds); each test uses its own variable names.
const session = sharedSession(async (ex) => { await run(ex, "let kept = 41;"); });

test("%dataset, %train_score, %sample, %plot in one session", async () => {
  const ex = await session();

  const ds = await run(ex, "%dataset moons --n 256 --seed 1 --as moons");
  const moons = ex.locals.moons as { x: tf.Tensor; shape: number[] };
  assert.deepEqual(moons.x.shape, [256, 2]);
  assert.match(ds.out, /moons: 256 items of shape \[2\]/);
  const dsFig = figures(ds);
  assert.equal(dsFig.length, 1);
  assert.equal(traces(dsFig[0]).reduce((a, t) => a + (t.x?.length ?? 0), 0), 256);
  // No figure carries plotly.js (MBs): the page loads the kernelspec's copy, so a reload or a reopened notebook draws too.
  assert.ok(String(dsFig[0].bundle["text/html"]).length < 1e5, "the first figure does not inline plotly.js");

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

  for (const [line, kind] of [["%plot xs_em", "scatter"], ["%plot model", "training"], ["%plot {[3, 2, 1]} --kind curve --title c", "curve"], ["%plot moons", "scatter"]]) {
    const p = await run(ex, line);
    assert.equal(figures(p).length, 1, `${line} (${kind}) shows one plotly figure`);
  }
  const tbl = await run(ex, "%plot {new lab.ResultsTable([{ experiment: 'e', model: 'm', dataset: 'd', seed: 0, metric: 'loss', value: 1 }])}");
  assert.match(String(tbl.displays[0].bundle["text/html"]), /<table/);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await run(ex, "%plot xs_em");
  assert.equal(tf.memory().numTensors, before, "%plot leaks no tensors");

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

test("bad values give one-line errors and leave the session usable", async () => {
  const ex = await session();
  await run(ex, "const arr = [[1, 2, 3]];");
  const cases: [string, RegExp][] = [
    ["%dataset nosuch", /unknown data set 'nosuch'/],
    ["%dataset moons --classes a,b", /comma-separated integer labels/],
    ["%dataset moons --split dev", /dev/],
    ["%dataset", /missing required argument/],
    ["%train_score --data nosuch --steps 2", /--data 'nosuch' is not a notebook variable/],
    ["%train_score --data kept --steps 2", /must be a tensor \[n, \.\.\.\] or a dataset/],
    ["%train_score --steps 2", /--data is required/],
    ["%train_score --data moons --sde xx", /xx/],
    ["%train_score --data moons --steps 0", /positive integer/],
    ["%train_score --data moons --steps 2 --lr -1", /lr/],
    ["%train_score --data moons --steps 2 --net unet", /unet|shape/i],
    ["%sample --model moons", /must be a score model/],
    ["%sample --model nosuch", /is not a notebook variable/],
    ["%sample --model moons --sampler xx", /xx/],
    ["%plot nosuch", /is not a notebook variable/],
    ["%plot kept", /no plot for 'kept'/],
    ["%plot arr", /no plot for 'arr'/],
    ["%plot moons --kind images", /cannot be shown as images: .*got dataset 'moons' \[256,2\]/],
    ["%plot moons --kind table", /cannot be shown as table/],
  ];
  for (const [line, re] of cases) {
    const { sink, got } = capture();
    const before = tf.memory().numTensors;
    const err = await ex.execute(line, sink);
    assert.ok(err, `no error for ${line}`);
    assert.equal(got.errors.length, 1, line);
    assert.ok(!err.evalue.includes("\n"), `multi-line error for ${line}: ${err.evalue}`);
    assert.match(err.evalue, re, line);
    assert.equal(tf.memory().numTensors, before, `${line} leaks tensors`);
  }
  const { sink } = capture();
  assert.equal(await ex.execute("kept + 1", sink), null);
  assert.equal(ex.locals.kept, 41);
});

test("a new executor's figures stay small too: no per-session plotly.js shipment", async () => {
  // Last: a new executor also takes over the process-wide magic host from the shared one.
  await session();
  const ex2 = createKernelExecutor(process.cwd());
  await ex2.preload();
  const first = await run(ex2, "%dataset gmm8 --n 50 --seed 0");
  const second = await run(ex2, "%dataset gmm8 --n 50 --seed 0");
  assert.ok(String(figures(first)[0].bundle["text/html"]).length < 1e5, "first figure of the new session is small");
  assert.ok(String(figures(second)[0].bundle["text/html"]).length < 1e5, "second figure does not");
  ex2.close();
});

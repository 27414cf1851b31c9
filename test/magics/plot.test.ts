/**
 * %plot through the real kernel executor: one figure per kind of value, tables as HTML, no leaked tensors, bad
 * values; and a new executor's figures stay small (moved from test/magics/score-magics.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createKernelExecutor } from "../../kernel/executor";
import { figures, KEPT, MODEL, MOONS, oneLineErrors, run, sessionWith } from "./fixtures";

const session = sessionWith(KEPT, MOONS, MODEL, "%sample --model model --n 64 --steps 10 --sampler em --seed 3 --as xs_em");

test("%plot shows samples, a model, a curve, a data set and a table; it leaks no tensors", async () => {
  const ex = await session();
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

test("%plot: bad values give one-line errors and leave the session usable", async () => {
  const ex = await session();
  await run(ex, "const arr = [[1, 2, 3]];");
  await oneLineErrors(ex, [
    ["%plot nosuch", /is not a notebook variable/],
    ["%plot kept", /no plot for 'kept'/],
    ["%plot arr", /no plot for 'arr'/],
    ["%plot moons --kind images", /cannot be shown as images: .*got dataset 'moons' \[256,2\]/],
    ["%plot moons --kind table", /cannot be shown as table/],
  ]);
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

/**
 * %dataset through the real kernel executor: the binding, its shape, the scatter figure without inlined plotly.js,
 * and bad values (moved from test/magics/score-magics.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { figures, KEPT, oneLineErrors, run, sessionWith, traces } from "./fixtures";

const session = sessionWith(KEPT);

test("%dataset moons binds 256 points and shows them in one figure", async () => {
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
});

test("%dataset: bad values give one-line errors and leave the session usable", async () => {
  const ex = await session();
  await oneLineErrors(ex, [
    ["%dataset nosuch", /unknown data set 'nosuch'/],
    ["%dataset moons --classes a,b", /comma-separated integer labels/],
    ["%dataset moons --split dev", /dev/],
    ["%dataset", /missing required argument/],
  ]);
});

/**
 * %dataset through the real kernel executor: the binding, its shape, the scatter figure without inlined plotly.js,
 * and bad values (moved from test/magics/score-magics.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { figures, KEPT, oneLineErrors, run, sessionWith, traces } from "./fixtures";
import { DATASETS, listDatasets } from "../../src/data/registry";
import { datasetMagic } from "../../src/magics/dataset";
import { magicHelp } from "../../src/magics/parse";
import { completeMagic } from "../../src/magics/complete";
import type { MagicContext } from "../../src/magics/spec";

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


const NAMES = "moons, gmm8, grid25, swissroll, checkerboard, circles, pinwheel, digits, fashion-mnist, mnist:PATH, csv:PATH";

test("%dataset? lists every row with its description; the summary names the kinds", () => {
  assert.equal(listDatasets().map((d) => d.name).join(", "), NAMES);
  const help = magicHelp(datasetMagic);
  for (const d of listDatasets()) assert.ok(help.includes(`  ${d.name.padEnd(14)} ${d.description}`), d.name);
  assert.equal(datasetMagic.summary, "load a data set by name (toys, digits, fashion-mnist, mnist:PATH, csv:PATH), describe and show it");
});

test("the name completes from the table, after flags and their values too; file rows complete to KEY:", () => {
  const at = (line: string) => completeMagic(line, line.length, {})!.matches;
  assert.deepEqual(at("%dataset "), Object.keys(DATASETS).map((k) => (DATASETS[k].takesPath ? `${k}:` : k)).sort());
  assert.deepEqual(at("%dataset g"), ["gmm8", "grid25"]);
  assert.deepEqual(at("%dataset --n 5 m"), ["mnist:", "moons"]);
  assert.deepEqual(at("%dataset --no-plot --as d c"), ["checkerboard", "circles", "csv:"]);
  assert.deepEqual(at("%dataset moons --split t"), ["test", "train"], "a flag's value still completes its choices");
  assert.deepEqual(at("%dataset moons x"), [], "only the first positional is a name");
  assert.deepEqual(completeMagic("%dataset gr", 11, {}), { matches: ["grid25"], start: 9, end: 11 });
});

test("an unknown name is one MagicError that lists the table's names, before any work", async () => {
  // The check runs before the context is touched, so an empty one shows that nothing was drawn or shown.
  const ctx = {} as MagicContext;
  for (const name of ["mnsit", "csv:", "mnist", "constructor"]) {
    await assert.rejects(datasetMagic.run({ args: [name], opts: {} }, ctx), { name: "MagicError", message: `%dataset: unknown data set '${name}'; known: ${NAMES}` });
  }
  await assert.rejects(datasetMagic.run({ args: [3], opts: {} }, ctx), { name: "MagicError", message: "%dataset: the data set name must be text, e.g. %dataset moons" });
});

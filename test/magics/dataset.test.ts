// %dataset reads the data set table (src/data/registry.ts DATASETS, issue 18): its help, summary, name completion
// and the unknown-name error all come from the rows, so a new row shows up everywhere without touching the magic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DATASETS, listDatasets } from "../../src/data/registry";
import { datasetMagic } from "../../src/magics/dataset";
import { magicHelp } from "../../src/magics/parse";
import { completeMagic } from "../../src/magics/complete";
import type { MagicContext } from "../../src/magics/spec";

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

/** The magic registry: one spec per name, found by name, listed sorted, each with help generated from its spec. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findMagic, magicList, magics, registryLookup } from "../../src/magics/registry";
import { magicHelp } from "../../src/magics/parse";

test("each registry key is its spec's name; findMagic finds them and nothing inherited", () => {
  for (const [key, spec] of Object.entries(magics)) {
    assert.equal(spec.name, key);
    assert.equal(findMagic(key), spec);
  }
  for (const n of ["nosuch", "toString", "constructor", "__proto__", ""]) assert.equal(findMagic(n), undefined, n);
});

test("magicList is every spec once, sorted by name; registryLookup answers from it", () => {
  const names = magicList().map((s) => s.name);
  assert.deepEqual(names, Object.keys(magics).sort((a, b) => a.localeCompare(b)));
  assert.deepEqual(registryLookup.names(), names);
  assert.equal(registryLookup.lookup("seed"), magics.seed);
  for (const n of ["seed", "time", "sample", "train_score", "grade", "lsmagic"]) assert.ok(names.includes(n), n);
});

test("every magic's help starts with its usage and lists --as", () => {
  for (const spec of magicList()) {
    const h = magicHelp(spec);
    assert.match(h, new RegExp(`^Usage: %${spec.body === "cell" ? "%" : ""}${spec.name} `), spec.name);
    assert.ok(h.includes("--as <name>"), spec.name);
    assert.ok(spec.summary.length > 0 && !spec.summary.includes("\n"), `${spec.name}: one-line summary`);
  }
});

/** Which exports `lab.` completion hides: validators and plumbing, only after `lab.`. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isInternalExport, publicCompletions } from "../../src/magics/public-api";

test("isInternalExport: every export of a plumbing module and the named internals; not the user's functions", () => {
  for (const n of ["checkTensor", "fail", "checkLongWork", "plotlyJs"]) assert.equal(isInternalExport(n), true, n);
  for (const n of ["eulerMaruyama", "checkpoint", "Rng", ""]) assert.equal(isInternalExport(n), false, n);
});

test("publicCompletions drops internals only when completing a member of lab", () => {
  assert.deepEqual(publicCompletions("lab.che", 7, ["checkTensor", "checkpoint"]), ["checkpoint"]);
  assert.deepEqual(publicCompletions("x = lab . fa", 12, ["fail", "fast"]), ["fast"]);
  assert.deepEqual(publicCompletions("mylab.che", 9, ["checkTensor"]), ["checkTensor"], "another object's members");
  assert.deepEqual(publicCompletions("lab.che; y", 10, ["checkTensor"]), ["checkTensor"], "the cursor is past the lab member");
  assert.deepEqual(publicCompletions("lab.x.che", 9, ["checkTensor"]), ["checkTensor"], "a member of a member");
});

// Moved from test/kernel/server.test.ts.
test("publicCompletions hides internals after `lab.` only", () => {
  for (const n of ["checkTensor", "fail", "checkNumber", "blasAddon", "CHROMIUM_FLAGS", "plotlyLoaderJs"]) assert.ok(isInternalExport(n), n);
  for (const n of ["eulerMaruyama", "trainScore", "exportFigure", "toMimeBundle", "Rng"]) assert.equal(isInternalExport(n), false, n);
  assert.deepEqual(publicCompletions("lab.che", 7, ["checkTensor", "checkpoint"]), ["checkpoint"]);
  assert.deepEqual(publicCompletions("const a = lab.", 14, ["fail", "fuse"]), ["fuse"]);
  assert.deepEqual(publicCompletions("mylab.", 6, ["fail"]), ["fail"], "another object keeps its members");
  assert.deepEqual(publicCompletions("lab.fusion.", 11, ["fail"]), ["fail"], "a namespace below lab is not the index");
});

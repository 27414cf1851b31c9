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

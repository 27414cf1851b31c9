import { test } from "node:test";
import assert from "node:assert/strict";
import * as os from "node:os";
import { availableCores, coresShare, envCount } from "../../src/tensor/cores";

test("availableCores: SCORELAB_CORES where set, else the cores this process may use", () => {
  assert.equal(availableCores({ SCORELAB_CORES: "3" }), 3);
  const own = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  assert.equal(availableCores({}), own);
  assert.equal(availableCores({ SCORELAB_CORES: "" }), own, "empty counts as unset");
  assert.throws(() => availableCores({ SCORELAB_CORES: "0" }), /^Error: SCORELAB_CORES must be a whole number from 1 to 1024, got "0"$/);
});

test("envCount reads a whole number from 1 to 1024 and names the variable otherwise", () => {
  assert.equal(envCount({ X: "2" }, "X"), 2);
  assert.equal(envCount({}, "X"), undefined);
  for (const bad of ["1.5", "-1", "x", "2000"]) assert.throws(() => envCount({ X: bad }, "X"), new RegExp(`X must be a whole number from 1 to 1024, got "${bad}"`), bad);
});

test("coresShare: floor(cores / n), at least one", () => {
  assert.equal(coresShare(8, 2), 4);
  assert.equal(coresShare(8, 3), 2);
  assert.equal(coresShare(2, 4), 1);
});

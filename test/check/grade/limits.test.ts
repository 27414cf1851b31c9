/** checkLimits: partial limits completed from the defaults; anything else is one Error naming the caller and limit. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkLimits } from "../../../src/check/grade/limits";
import { DEFAULT_LIMITS } from "../../../src/check/grade/types";

test("checkLimits fills in the defaults and keeps the given ones", () => {
  assert.deepEqual(checkLimits(undefined, "f", "limits"), DEFAULT_LIMITS);
  assert.deepEqual(checkLimits({ cellTimeoutS: 6 }, "f", "limits"), { ...DEFAULT_LIMITS, cellTimeoutS: 6 });
  assert.equal(checkLimits({ cellTimeoutS: 6 }, "gradeSubmissions", "opts.limits").memoryMB, 2048);
  assert.notEqual(checkLimits({}, "f", "limits"), DEFAULT_LIMITS, "a copy: the caller cannot edit the defaults");
});

test("checkLimits names the function and the limit for each bad value", () => {
  assert.throws(() => checkLimits(null, "g", "opts.limits"), /^Error: g: argument 'opts\.limits' must be an object of limits$/);
  assert.throws(() => checkLimits([], "g", "opts.limits"), /g: argument 'opts\.limits' must be an object of limits/);
  assert.throws(() => checkLimits({ wallS: 3 }, "g", "l"), /g: argument 'l\.wallS' is not a limit; use cellTimeoutS, notebookTimeoutS, memoryMB, maxOutputBytes/);
  for (const bad of [0, -1, Infinity, NaN, "5"]) {
    assert.throws(() => checkLimits({ memoryMB: bad }, "g", "l"), new RegExp(`g: argument 'l\\.memoryMB' must be a positive number, got ${String(bad)}`), String(bad));
  }
});

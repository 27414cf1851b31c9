/** DEFAULT_LIMITS: the values its doc comments promise. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../../src/check/grade/types";

test("DEFAULT_LIMITS: 60 s a cell, 300 s a notebook, 2048 MiB, 1 MiB of output", () => {
  assert.deepEqual(DEFAULT_LIMITS, { cellTimeoutS: 60, notebookTimeoutS: 300, memoryMB: 2048, maxOutputBytes: 1024 * 1024 });
});
